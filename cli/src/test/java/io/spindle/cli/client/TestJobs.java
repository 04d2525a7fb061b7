package io.spindle.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import java.time.Instant;
import java.util.List;

/** Jobs as the API answers them, made with the model's own fold so their JSON is the real thing. */
public final class TestJobs {
    public static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    public static final String CONFIG = "echo-v1";

    private TestJobs() {}

    public static Job queued(String id) {
        return Job.submitted(new JobEvent.Submitted(id, JobSpec.of("cpu.echo", CONFIG, Json.object().put("text", "hi")), 1, null, T0));
    }

    public static Job running(String id) {
        return queued(id)
                .apply(new JobEvent.Leased(id, 1, "node-a", "w1", T0.plusSeconds(30), T0.plusMillis(5)))
                .apply(new JobEvent.Started(id, 1, T0.plusMillis(10)));
    }

    /** A job that ended in {@code status} 2 s after it was created. */
    public static Job ended(String id, JobStatus status) {
        Job r = running(id);
        Instant end = T0.plusSeconds(2);
        if (status == JobStatus.SUCCEEDED) {
            return r.apply(new JobEvent.Succeeded(id, 1, Json.object().put("text", "hi"), List.of("art-1"), end));
        } else if (status == JobStatus.FAILED) {
            return r.apply(new JobEvent.Failed(id, 1, JobError.permanent("cpu_fail", "failed as asked"), end));
        } else if (status == JobStatus.CANCELED) {
            return r.apply(new JobEvent.Canceled(id, "asked", end));
        } else if (status == JobStatus.DEAD_LETTERED) {
            return r.apply(new JobEvent.DeadLettered(id, 1, JobError.transientError("worker_crashed", "exit 137"), end));
        }
        throw new IllegalArgumentException(status + " is not terminal");
    }

    public static String json(Job job) {
        try {
            return Json.mapper().writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String page(String nextCursor, Job... jobs) {
        StringBuilder b = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < jobs.length; i++) {
            b.append(i == 0 ? "" : ",").append(json(jobs[i]));
        }
        return b.append("],\"next_cursor\":").append(nextCursor == null ? "null" : "\"" + nextCursor + "\"").append('}').toString();
    }
}
