package io.spindle.model.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobFoldTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private static Job submitted(int maxAttempts) {
        JobSpec spec = JobSpecValidator.validate(JobSpec.of("cpu.echo", "echo-v1", Json.object()).withMaxAttempts(maxAttempts));
        return Job.submitted(new JobEvent.Submitted("j1", spec, 1, null, T0));
    }

    @Test
    void happyPathRecordsEachTransitionTime() {
        Job job = submitted(3)
                .apply(new JobEvent.Leased("j1", 1, "n1", "w1", T0.plusSeconds(30), T0.plusSeconds(1)))
                .apply(new JobEvent.Started("j1", 1, T0.plusSeconds(2)))
                .apply(new JobEvent.Succeeded("j1", 1, Json.object().put("ok", true), List.of("a1"), T0.plusSeconds(3)));
        assertEquals(JobStatus.SUCCEEDED, job.status());
        assertEquals(4, job.revision());
        assertEquals(T0, job.createdAt());
        assertEquals(T0.plusSeconds(1), job.leasedAt());
        assertEquals(T0.plusSeconds(2), job.startedAt());
        assertEquals(T0.plusSeconds(3), job.finishedAt());
        assertEquals(List.of("a1"), job.artifactIds());
        assertNull(job.lease());
    }

    @Test
    void retryMovesToNextAttemptUntilLimit() {
        JobError boom = JobError.transientError("boom", "try again");
        Job job = submitted(2)
                .apply(new JobEvent.Leased("j1", 1, "n1", "w1", T0.plusSeconds(30), T0))
                .apply(new JobEvent.RetryScheduled("j1", 1, boom, T0.plusSeconds(5), T0.plusSeconds(1)));
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(2, job.attempt());
        assertEquals(T0.plusSeconds(5), job.retryAt());
        assertFalse(job.hasAttemptsLeft());
        assertEquals(boom, job.lastError());
    }

    @Test
    void requeueGivesAFreshBudget() {
        Job job = submitted(2)
                .apply(new JobEvent.DeadLettered("j1", 2, JobError.transientError("x", "y"), T0))
                .apply(new JobEvent.Requeued("j1", T0.plusSeconds(1)));
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(2, job.attempt());
        assertTrue(job.hasAttemptsLeft());
        assertNull(job.finishedAt());
    }

    @Test
    void heartbeatAndProgressDoNotChangeRevision() {
        Job leased = submitted(3).apply(new JobEvent.Leased("j1", 1, "n1", "w1", T0.plusSeconds(30), T0));
        Job later = leased.withLeaseExpiry(T0.plusSeconds(60)).withProgress(new Progress(50, "half", T0));
        assertEquals(leased.revision(), later.revision());
        assertEquals(T0.plusSeconds(60), later.lease().expiresAt());
        assertEquals(50, later.progress().percent());
    }
}
