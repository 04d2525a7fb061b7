package io.spindle.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.error.SpindleError;

/**
 * One item's result in {@code POST /jobs/batch}: the status POST /jobs would have answered, and the job (its JSON, with
 * the warnings POST /jobs would have shown) or the error.
 */
public record JobBatchItem(int index, int status, JsonNode job, SpindleError error) {}
