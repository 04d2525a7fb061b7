package io.spindle.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.job.JobStatus;
import io.spindle.model.validation.FieldError;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonMappingTest {

    @Test
    void jobSpecReadsSnakeCase() throws Exception {
        JobSpec spec = Json.mapper().readValue(
                "{\"type\":\"cpu.echo\",\"config_id\":\"echo-v1\",\"input\":{\"a\":1},\"max_attempts\":5,\"timeout_seconds\":9}", JobSpec.class);
        assertEquals("echo-v1", spec.configId());
        assertEquals(5, spec.maxAttempts());
        assertEquals(9, spec.timeoutSeconds());
    }

    @Test
    void unknownFieldIsRefusedByName() {
        UnrecognizedPropertyException e = assertThrows(UnrecognizedPropertyException.class, () -> Json.mapper().readValue(
                "{\"type\":\"cpu.echo\",\"config_id\":\"c\",\"input\":{},\"colour\":1}", JobSpec.class));
        assertEquals("colour", e.getPropertyName());
    }

    @Test
    void jobViewRoundTripsWithSnakeCaseAndWireStatus() throws Exception {
        JobSpec spec = JobSpecValidator.validate(JobSpec.of("cpu.echo", "echo-v1", Json.object().put("x", 1)));
        Job job = Job.submitted(new JobEvent.Submitted("j1", spec, 2, null, Instant.parse("2026-11-28T10:00:00.123456Z")))
                .apply(new JobEvent.DeadLettered("j1", 1, null, Instant.parse("2026-11-28T10:00:01Z")));
        String json = Json.mapper().writeValueAsString(job);
        JsonNode tree = Json.mapper().readTree(json);
        assertEquals("dead_lettered", tree.get("status").asText());
        assertEquals("echo-v1", tree.get("config_id").asText());
        assertTrue(tree.get("created_at").asText().startsWith("2026-11-28T10:00:00.123456"));
        assertEquals(job, Json.mapper().readValue(json, Job.class));
        assertEquals(JobStatus.DEAD_LETTERED, JobStatus.parse("dead_lettered"));
    }

    @Test
    void eventsCarryStableTypeNames() throws Exception {
        JobEvent e = new JobEvent.Requeued("j1", Instant.parse("2026-11-28T10:00:00Z"));
        JsonNode tree = Json.mapper().valueToTree(e);
        assertEquals("requeued", tree.get("event").asText());
        assertEquals(e, Json.mapper().treeToValue(tree, JobEvent.class));
    }

    @Test
    void validationErrorNamesEveryField() {
        SpindleError err = SpindleError.validation(List.of(new FieldError("type", "is required"), new FieldError("input", "is required")));
        assertEquals(ErrorCode.VALIDATION_FAILED, err.code());
        JsonNode tree = Json.mapper().valueToTree(err);
        assertEquals("validation_failed", tree.get("code").asText());
        assertEquals("is required", tree.get("details").get("fields").get("input").asText());
    }
}
