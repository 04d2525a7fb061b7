package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.node.job.JobIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /jobs/counts over the read model (seeded directly; the node is shared, so the test compares before and after). */
class JobCountRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final Instant T0 = Instant.parse("2021-01-01T00:00:00Z");

    @Test
    void countsEveryStatusInLifecycleOrder() throws InterruptedException {
        JsonNode before = NODE.api().get("/jobs/counts").expect(200).json();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JobSpec spec = JobSpecValidator.validate(JobSpec.of("cpu.echo", "count-cfg", Json.object().put("n", i)));
            Job job = Job.submitted(new JobEvent.Submitted(JobIds.newId(), spec, 1, null, T0.plusSeconds(i)));
            jobs.add(i == 2 ? job.apply(new JobEvent.Canceled(job.id(), "test", T0.plusSeconds(5))) : job);
        }
        GatewayTestNode.await(NODE.jobViews().putJobs(jobs));

        JsonNode after = countsOnceChanged(before);
        List<String> names = new ArrayList<>();
        after.get("counts").fieldNames().forEachRemaining(names::add);
        assertEquals(Arrays.stream(JobStatus.values()).map(JobStatus::wireName).toList(), names);
        assertEquals(2, after.get("counts").get("queued").asLong() - before.get("counts").get("queued").asLong());
        assertEquals(1, after.get("counts").get("canceled").asLong() - before.get("counts").get("canceled").asLong());
        assertEquals(before.get("counts").get("running").asLong(), after.get("counts").get("running").asLong());
        assertEquals(3, after.get("total").asLong() - before.get("total").asLong());
    }

    /** The counts once they differ from {@code before}: one count serves every request for a second. */
    private static JsonNode countsOnceChanged(JsonNode before) throws InterruptedException {
        long deadline = System.nanoTime() + JobCountRoutes.FRESH_FOR.multipliedBy(5).toNanos();
        JsonNode now = NODE.api().get("/jobs/counts").expect(200).json();
        while (now.get("total").equals(before.get("total")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = NODE.api().get("/jobs/counts").expect(200).json();
        }
        return now;
    }

    @Test
    void takesNoQueryParameters() {
        NODE.api().get("/jobs/counts?status=queued").expect(400);
    }
}
