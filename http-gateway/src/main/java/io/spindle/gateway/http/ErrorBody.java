package io.spindle.gateway.http;

import io.spindle.model.error.SpindleError;

/** The body of every error response: {@code {"error": {"code": ..., "message": ..., "details": {...}}}}. */
public record ErrorBody(SpindleError error) {}
