package io.spindle.gateway.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.json.Json;
import io.spindle.node.job.JobIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard's reads of experiments: the list (newest first, with progress) and every arm's outputs per source. */
class ExperimentListRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "list-exp-cfg";

    /** Two queued jobs in the read model (the test node runs no workers), selected by status so no replay is needed. */
    private static List<String> queuedSources() {
        NODE.config(CONFIG, "cpu.echo");
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            JobSpec spec = JobSpecValidator.validate(new JobSpec("cpu.echo", CONFIG, Json.object().put("n", i), null, null, null, null, Map.of()));
            jobs.add(Job.submitted(new JobEvent.Submitted(JobIds.newId(), spec, 1, null, Instant.now())));
        }
        GatewayTestNode.await(NODE.jobViews().putJobs(jobs));
        return jobs.stream().map(Job::id).toList();
    }

    private static void create(ApiClient api, String id) {
        api.post("/experiments", "{\"id\": \"" + id + "\", \"description\": \"listed\", \"selection\": {\"config_id\": \"" + CONFIG
                + "\", \"status\": \"queued\"}, \"baseline\": false}").expect(201);
    }

    @Test
    void experimentsAreListedNewestFirstAndTheirOutputsPerSource() {
        ApiClient api = NODE.api();
        List<String> sources = queuedSources();
        create(api, "listed-first");
        create(api, "listed-second");

        List<String> listed = new ArrayList<>();
        JsonNode list = api.get("/experiments").expect(200).json().get("experiments");
        list.forEach(e -> listed.add(e.get("id").asText()));
        assertTrue(listed.indexOf("listed-second") >= 0 && listed.indexOf("listed-second") < listed.indexOf("listed-first"), listed.toString());
        JsonNode first = list.get(listed.indexOf("listed-first"));
        assertEquals(List.of("listed", "2", "original"), List.of(first.get("description").asText(), first.get("sources").asText(),
                first.get("arms").get(0).asText()));
        assertEquals(1, api.get("/experiments?limit=1").expect(200).json().get("experiments").size());
        api.get("/experiments?limit=0").expectInvalidField("limit");

        JsonNode outputs = api.get("/experiments/listed-first/outputs").expect(200).json();
        assertEquals("original", outputs.get("arms").get(0).get("arm").asText());
        assertEquals(2, outputs.get("arms").get(0).get("expected_runs").asInt());
        List<String> shown = new ArrayList<>();
        outputs.get("sources").forEach(s -> shown.add(s.get("job_id").asText()));
        assertEquals(sources.stream().sorted().toList(), shown.stream().sorted().toList());
        JsonNode run = outputs.get("sources").get(0).get("runs").get(0);
        assertEquals(List.of("original", outputs.get("sources").get(0).get("job_id").asText()),
                List.of(run.get("arm").asText(), run.get("job_id").asText()), "the original arm's run is the source job");
        api.get("/experiments/no-such-experiment/outputs").expectError(404, "experiment_not_found");
    }
}
