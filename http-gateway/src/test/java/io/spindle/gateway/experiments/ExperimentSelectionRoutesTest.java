package io.spindle.gateway.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stratified sample: each label value gets its share of the sources, frozen at creation. */
class ExperimentSelectionRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "strata-cfg";

    @Test
    void aStratifiedSampleTakesEachVoiceInProportion() {
        ApiClient api = NODE.api();
        NODE.config(CONFIG, "cpu.echo");
        Map<String, String> voiceOf = new TreeMap<>();
        List<Job> jobs = new ArrayList<>();
        String[] voices = {"a", "a", "b", "a", "c", "a", "b", "a", "b", "a"}; // 6 a, 3 b, 1 c
        for (int i = 0; i < voices.length; i++) {
            JobSpec spec = JobSpecValidator.validate(new JobSpec("cpu.echo", CONFIG, Json.object().put("n", i), null, null, null, null,
                    Map.of("voice", voices[i])));
            Job job = Job.submitted(new JobEvent.Submitted(JobIds.newId(), spec, 1, null, Instant.now()));
            jobs.add(job);
            voiceOf.put(job.id(), voices[i]);
        }
        GatewayTestNode.await(NODE.jobViews().putJobs(jobs));

        api.post("/experiments", body("strata-bad", "\"stratify\": \"voice\"")).expectInvalidField("selection.stratify");
        // 7 of 10: quotas 4.2, 2.1, 0.7; floors 4, 2, 0; the largest remainder (c's 0.7) takes the seventh.
        api.post("/experiments", body("strata", "\"stratify\": \"label:voice\"")).expect(201);

        Map<String, Integer> picked = new TreeMap<>();
        JsonNode sources = api.get("/experiments/strata/outputs").expect(200).json().get("sources");
        sources.forEach(s -> picked.merge(voiceOf.get(s.get("job_id").asText()), 1, Integer::sum));
        assertEquals(Map.of("a", 4, "b", 2, "c", 1), picked);
    }

    private static String body(String id, String stratify) {
        return "{\"id\": \"" + id + "\", \"selection\": {\"config_id\": \"" + CONFIG + "\", \"status\": \"queued\", \"sample\": 7, "
                + "\"seed\": 3, " + stratify + "}, \"baseline\": false}";
    }
}
