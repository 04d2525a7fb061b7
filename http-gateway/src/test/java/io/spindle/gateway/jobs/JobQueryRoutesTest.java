package io.spindle.gateway.jobs;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /jobs over the read model (seeded directly: the projection is not part of the gateway). */
class JobQueryRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "query-cfg";
    private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
    private static final List<String> IDS = new ArrayList<>();

    @BeforeAll
    static void seedReadModel() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String type = i % 2 == 0 ? "cpu.echo" : "text.generate";
            JobSpec spec = JobSpecValidator.validate(new JobSpec(type, CONFIG, Json.object().put("n", i), null, null, null, null,
                    i == 3 ? Map.of("team", "audio", "app.example.com/part-of", "demo: one") : Map.of("team", i % 2 == 0 ? "vision" : "audio")));
            Job job = Job.submitted(new JobEvent.Submitted(JobIds.newId(), spec, 1, null, T0.plusSeconds(i)));
            if (i == 4) {
                job = job.apply(new JobEvent.Canceled(job.id(), "test", T0.plusSeconds(10)));
            }
            jobs.add(job);
            IDS.add(job.id());
        }
        GatewayTestNode.await(NODE.jobViews().putJobs(jobs));
    }

    private ApiClient api() {
        return NODE.api();
    }

    private List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("jobs").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    @Test
    void filtersCombineNewestFirst() {
        JsonNode page = api().get("/jobs?config_id=" + CONFIG + "&type=cpu.echo").expect(200).json();

        assertEquals(List.of(IDS.get(4), IDS.get(2), IDS.get(0)), ids(page));
        assertTrue(page.has("next_cursor") && page.get("next_cursor").isNull(), "next_cursor is null on the last page");
        assertEquals(List.of(IDS.get(4)), ids(api().get("/jobs?config_id=" + CONFIG + "&status=canceled").expect(200).json()));
        assertEquals(List.of(IDS.get(2), IDS.get(1)), ids(api().get("/jobs?config_id=" + CONFIG
                + "&since=2020-01-01T00:00:01Z&until=2020-01-01T00:00:03Z").expect(200).json()));
    }

    @Test
    void labelFilterMatchesOneLabelsKeyAndValue() {
        assertEquals(List.of(IDS.get(3), IDS.get(1)), ids(api().get("/jobs?config_id=" + CONFIG + "&label=team:audio").expect(200).json()));
        assertEquals(List.of(IDS.get(3)), ids(api().get("/jobs?config_id=" + CONFIG
                + "&label=app.example.com/part-of:demo%3A%20one").expect(200).json()), "split at the first ':', dots in the key");
        assertEquals(List.of(IDS.get(4)), ids(api().get("/jobs?config_id=" + CONFIG + "&label=team:vision&status=canceled").expect(200).json()));
        assertEquals(List.of(), ids(api().get("/jobs?config_id=" + CONFIG + "&label=team:").expect(200).json()));
    }

    @Test
    void pagesFollowTheCursor() {
        JsonNode first = api().get("/jobs?config_id=" + CONFIG + "&limit=2").expect(200).json();
        assertEquals(List.of(IDS.get(4), IDS.get(3)), ids(first));
        String cursor = first.get("next_cursor").asText();

        JsonNode second = api().get("/jobs?config_id=" + CONFIG + "&limit=2&cursor=" + cursor).expect(200).json();
        assertEquals(List.of(IDS.get(2), IDS.get(1)), ids(second));
        JsonNode third = api().get("/jobs?config_id=" + CONFIG + "&limit=2&cursor=" + second.get("next_cursor").asText()).expect(200).json();
        assertEquals(List.of(IDS.get(0)), ids(third));
        assertTrue(third.get("next_cursor").isNull());
    }

    @Test
    void invalidParametersAreNamed() {
        var r = api().get("/jobs?status=bogus&limit=0&since=yesterday&cursor=%21%21&type=nope&config_id=Bad&colour=red");

        assertTrue(r.expectInvalidField("status").contains("queued"));
        r.expectInvalidField("limit");
        r.expectInvalidField("since");
        r.expectInvalidField("cursor");
        r.expectInvalidField("type");
        r.expectInvalidField("config_id");
        r.expectInvalidField("colour");
        api().get("/jobs?label=team").expectInvalidField("label");
        api().get("/jobs?label=1team:x").expectInvalidField("label");
        api().get("/jobs?label=a:1&label=b:2").expectInvalidField("label");
        api().get("/jobs?limit=abc").expectInvalidField("limit");
        api().get("/jobs?limit=1001").expectInvalidField("limit");
        api().get("/jobs?limit=1&limit=2").expectInvalidField("limit");
        api().get("/jobs?since=2020-01-02T00:00:00Z&until=2020-01-01T00:00:00Z").expectInvalidField("until");
    }
}
