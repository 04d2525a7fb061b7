package io.spindle.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobCursorTest {

    @Test
    void encodingRoundTripsToTheNanosecond() {
        for (Instant at : List.of(Instant.parse("2026-11-28T10:00:00.123456789Z"), Instant.EPOCH,
                Instant.ofEpochSecond(-1, 500_000_000), Instant.parse("1969-07-20T20:17:40.000000001Z"))) {
            JobCursor cursor = new JobCursor(at, "id:with:colons-ü");
            assertEquals(cursor, JobCursor.decode(cursor.encode()), () -> "cursor at " + at);
        }
    }

    @Test
    void tokenIsUrlSafe() {
        String token = new JobCursor(Instant.parse("2026-11-28T10:00:00Z"), "j?/+=&").encode();
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
    }

    @Test
    void foreignTokensAreInvalidRequests() {
        for (String token : List.of("not a cursor!", "", b64("12345"), b64("1:2:"), b64("x:0:id"), b64("1:2000000000:id"),
                b64("1:-1:id"))) {
            SpindleException e = assertThrows(SpindleException.class, () -> JobCursor.decode(token), token);
            assertEquals(ErrorCode.INVALID_REQUEST, e.error().code());
        }
    }

    @Test
    void isBeforeAgreesWithNewestFirstOrder() {
        Instant t = Instant.parse("2026-11-28T10:00:00Z");
        List<Job> jobs = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            for (int s = 0; s < 3; s++) {
                jobs.add(job(id, t.plusNanos(s)));
            }
        }
        jobs.sort(JobCursor.NEWEST_FIRST);
        for (int i = 0; i < jobs.size(); i++) {
            JobCursor cursor = JobCursor.after(jobs.get(i));
            for (int k = 0; k < jobs.size(); k++) {
                assertEquals(k > i, cursor.isBefore(jobs.get(k)), "position " + i + " vs " + k);
            }
        }
        assertFalse(JobCursor.after(jobs.get(0)).isBefore(jobs.get(0)), "a cursor excludes the job it was made after");
    }

    private static String b64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Job job(String id, Instant createdAt) {
        return Job.submitted(new JobEvent.Submitted(id, JobSpec.of("image.generate", "sdxl", Json.object()), 1, null, createdAt));
    }
}
