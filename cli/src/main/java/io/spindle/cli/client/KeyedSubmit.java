package io.spindle.cli.client;

import io.spindle.model.job.JobSpec;
import io.spindle.model.job.TimeOrderedUuids;
import java.time.Duration;

/**
 * Submitting a job so that repeating it is safe: the spec carries an idempotency key (the caller's, or one made
 * here once per submit), and a submit whose outcome is unknown or that the node could not take yet — no
 * connection, no answer in time, 429, 5xx — is sent again with the same key, so the node returns the job an earlier
 * try created instead of creating a second one (docs/decisions/0012-availability-under-node-loss.md). It waits
 * Retry-After when the node says, else a pause doubling from {@code firstPause} up to {@code maxPause}.
 */
public final class KeyedSubmit {
    /** Tries of one submit, the first included. */
    public static final int DEFAULT_TRIES = 5;
    public static final Duration DEFAULT_FIRST_PAUSE = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_PAUSE = Duration.ofSeconds(8);
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int FIRST_SERVER_ERROR = 500;

    /** Told of each try that will be repeated: what went wrong, and the pause before the next one. */
    @FunctionalInterface
    public interface RetryListener {
        void retrying(int failedTry, RuntimeException failure, Duration pause);
    }

    private final SpindleClient client;
    private final int tries;
    private final Duration firstPause;
    private final Duration maxPause;

    public KeyedSubmit(SpindleClient client, int tries, Duration firstPause, Duration maxPause) {
        if (tries < 1) {
            throw new IllegalArgumentException("at least one try, was " + tries);
        }
        this.client = client;
        this.tries = tries;
        this.firstPause = firstPause;
        this.maxPause = maxPause;
    }

    public KeyedSubmit(SpindleClient client) {
        this(client, DEFAULT_TRIES, DEFAULT_FIRST_PAUSE, DEFAULT_MAX_PAUSE);
    }

    /** The spec with its idempotency key: the one it has, else a new time-ordered one (so is the job's id then). */
    public static JobSpec keyed(JobSpec spec) {
        return spec.idempotencyKey() != null ? spec : spec.withIdempotencyKey(TimeOrderedUuids.next());
    }

    /**
     * Submits {@code spec} (which must carry its key: see {@link #keyed}), repeating as the class says; the last
     * failure is thrown when every try failed, or at once when it is not worth repeating (4xx but 429).
     */
    public ApiReply submit(JobSpec spec, RetryListener listener) {
        if (spec.idempotencyKey() == null) {
            throw new IllegalArgumentException("a submit is repeated only with an idempotency key");
        }
        Duration pause = firstPause;
        for (int attempt = 1; ; attempt++) {
            try {
                return client.submit(spec);
            } catch (ServerUnreachableException | ApiException e) {
                if (attempt >= tries || !retryable(e)) {
                    throw e;
                }
                Duration wait = e instanceof ApiException api && api.retryAfter().isPresent() ? api.retryAfter().get() : pause;
                listener.retrying(attempt, e, wait);
                sleep(wait);
                pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
            }
        }
    }

    /** Worth repeating with the same key: no answer, the node overloaded, or a server-side failure. */
    public static boolean retryable(RuntimeException failure) {
        if (failure instanceof ServerUnreachableException) {
            return true;
        }
        int status = ((ApiException) failure).status();
        return status == TOO_MANY_REQUESTS || status >= FIRST_SERVER_ERROR;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to repeat a submit", e);
        }
    }
}
