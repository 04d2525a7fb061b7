package io.spindle.gateway.jobs;

import io.spindle.model.validation.ValidationException;

/** Optional body of {@code POST /jobs/{id}/cancel}. */
public record CancelRequest(String reason) {
    public static final int MAX_REASON_LENGTH = 1000;

    public CancelRequest {
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw new ValidationException("reason", "must be at most " + MAX_REASON_LENGTH + " characters");
        }
    }
}
