package io.spindle.model.store;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;

/**
 * Position in the newest-first job order (created_at descending, then id descending), encoded as an
 * opaque URL-safe token so pages stay stable while new jobs arrive.
 */
public record JobCursor(Instant createdAt, String id) {
    public static final Comparator<Job> NEWEST_FIRST =
            Comparator.comparing(Job::createdAt).thenComparing(Job::id).reversed();

    public static JobCursor after(Job last) {
        return new JobCursor(last.createdAt(), last.id());
    }

    public String encode() {
        String raw = createdAt.toEpochMilli() + ":" + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static JobCursor decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            long millis = Long.parseLong(parts[0]);
            Instant at = Instant.ofEpochMilli(millis).with(java.time.temporal.ChronoField.NANO_OF_SECOND, Long.parseLong(parts[1]));
            // Both parts come from one instant, and every job has an id: anything else was not made by encode().
            if (at.toEpochMilli() != millis || parts[2].isEmpty()) {
                throw new IllegalArgumentException("inconsistent cursor");
            }
            return new JobCursor(at, parts[2]);
        } catch (RuntimeException e) {
            throw new SpindleException(ErrorCode.INVALID_REQUEST, "cursor '" + token + "' is not a cursor returned by this API");
        }
    }

    /** True when {@code job} comes after this position in the newest-first order. */
    public boolean isBefore(Job job) {
        int byTime = job.createdAt().compareTo(createdAt);
        return byTime < 0 || (byTime == 0 && job.id().compareTo(id) < 0);
    }
}
