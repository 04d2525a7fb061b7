package io.spindle.gateway.jobs;

import io.micrometer.core.instrument.Counter;
import io.spindle.gateway.http.ApiErrors;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.node.metrics.SpindleMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Admission control of submits (docs/decisions/0008-admission-control.md): at most as many submits (single or batch
 * items) are in flight on this gateway as its {@link SubmitLimit} allows (between {@code min-} and
 * {@code max-submits-in-flight}, adapted to how fast submits are answered); one more is refused at once with 429
 * {@code overloaded} and a Retry-After delay, so an overloaded node answers fast and honestly instead of queueing
 * work until asks time out. This class also words every refusal of a submit, so each says whether the job exists.
 */
public final class SubmitAdmission {
    /** The error detail naming the idempotency key to retry with. */
    public static final String IDEMPOTENCY_KEY_DETAIL = "idempotency_key";

    private final AdmissionSettings settings;
    private final SubmitLimit limit;
    private final Counter saturated;

    public SubmitAdmission(AdmissionSettings settings, SpindleMetrics metrics) {
        this.settings = settings;
        this.limit = new SubmitLimit(settings.minSubmitsInFlight(), settings.initialSubmitsInFlight(), settings.maxSubmitsInFlight(),
                settings.latencyTarget());
        this.saturated = metrics.counter("spindle_gateway_submits_refused", "Submits refused because the node was saturated",
                "reason", "saturated");
    }

    /**
     * Runs {@code submit} holding a place until its stage completes, or refuses with {@link #saturated()} at once
     * when the limit is reached (nothing is asked then).
     */
    public <T> CompletionStage<T> admit(Supplier<CompletionStage<T>> submit) {
        if (!limit.tryAcquire()) {
            saturated.increment();
            return CompletableFuture.failedFuture(new SpindleException(saturated()));
        }
        long start = System.nanoTime();
        CompletionStage<T> stage;
        try {
            stage = submit.get();
        } catch (RuntimeException e) {
            release(start);
            return CompletableFuture.failedFuture(e);
        }
        return stage.whenComplete((value, failure) -> release(start));
    }

    private void release(long start) {
        long now = System.nanoTime();
        limit.release(now - start, now);
    }

    /** Submits in flight now. */
    public int inFlight() {
        return limit.inFlight();
    }

    /** How many submits may be in flight now. */
    public int limit() {
        return limit.limit();
    }

    public AdmissionSettings settings() {
        return settings;
    }

    /** Every permit is taken: nothing was asked, so nothing was created. */
    public SpindleError saturated() {
        int now = limit.limit();
        return SpindleError.of(ErrorCode.OVERLOADED, "this node has " + now
                        + " submits in flight, the most it takes now; nothing was created; retry after " + settings.retryAfterSeconds() + "s",
                Map.of(ApiErrors.RETRY_AFTER_SECONDS, settings.retryAfterSeconds(), "submits_in_flight_limit", now));
    }

    /** The node was too slow, and it is known that this request created no job (and never will): {@code why} says how. */
    public SpindleError notCreated(String why) {
        return SpindleError.of(ErrorCode.OVERLOADED, "the node was too slow; this request created no job (" + why
                + "); retry after " + settings.retryAfterSeconds() + "s", Map.of(ApiErrors.RETRY_AFTER_SECONDS, settings.retryAfterSeconds()));
    }

    /**
     * The job's entity answered neither the submit nor the question whether the job exists: the one case in which a
     * refusal cannot say whether the job was created. The job id and its idempotency key (the client's, or the one the
     * gateway made) are given: a retry with that key returns the job if it exists and creates it once if not.
     */
    public SpindleError outcomeUnknown(String jobId, String idempotencyKey, Duration waited) {
        return SpindleError.of(ErrorCode.UNAVAILABLE, "the job's entity did not answer within " + waited.toMillis()
                        + " ms: job " + jobId + " may or may not have been created; retry with the header " + JobRoutes.IDEMPOTENCY_KEY
                        + ": " + idempotencyKey + " (it returns the job if it exists and never creates a second), or GET /jobs/"
                        + jobId + " to look",
                Map.of("job_id", jobId, IDEMPOTENCY_KEY_DETAIL, idempotencyKey, ApiErrors.RETRY_AFTER_SECONDS, settings.retryAfterSeconds()));
    }
}
