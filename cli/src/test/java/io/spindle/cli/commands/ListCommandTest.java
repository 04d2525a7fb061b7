package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.FakeApi;
import io.spindle.cli.client.TestJobs;
import io.spindle.model.job.JobStatus;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class ListCommandTest {
    @AutoClose
    private final FakeApi api = new FakeApi();

    @Test
    void printsAnAlignedTable() {
        api.onJson("GET", "/jobs", 200, TestJobs.page(null, TestJobs.running("job-1"), TestJobs.ended("job-22", JobStatus.SUCCEEDED)));
        Cli.Result r = Cli.against(api.uri(), "list").assertOk();
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertEquals("ID      TYPE      CONFIG   STATUS     ATTEMPT  CREATED               DURATION", lines.get(0));
        assertEquals("job-1   cpu.echo  echo-v1  running    1/3      2026-11-28T10:00:00Z  -", lines.get(1));
        assertEquals("job-22  cpu.echo  echo-v1  succeeded  1/3      2026-11-28T10:00:00Z  2.0s", lines.get(2));
        assertEquals("", r.err());
    }

    @Test
    void sendsTheFiltersAndPointsAtTheNextPage() {
        api.onJson("GET", "/jobs", 200, TestJobs.page("c2", TestJobs.running("job-1")));
        Cli.Result r = Cli.against(api.uri(), "list", "--status", "running", "--type", "cpu.echo", "--config", "echo-v1",
                "--since", "2026-11-28T10:00:00Z", "--until", "2026-11-29T00:00:00+01:00", "--limit", "1", "--cursor", "c1").assertOk();
        assertEquals("status=running&type=cpu.echo&config_id=echo-v1&since=2026-11-28T10%3A00%3A00Z"
                + "&until=2026-11-28T23%3A00%3A00Z&limit=1&cursor=c1", api.last("GET", "/jobs").query());
        assertTrue(r.err().contains("--cursor c2"), r.err());
    }

    @Test
    void allFollowsEveryCursorInPagesOfTheLargestSize() {
        api.on("GET", "/jobs", FakeApi.sequence(
                FakeApi.json(200, TestJobs.page("c2", TestJobs.running("job-3"))),
                FakeApi.json(200, TestJobs.page("c3", TestJobs.running("job-2"))),
                FakeApi.json(200, TestJobs.page(null, TestJobs.running("job-1")))));
        Cli.Result r = Cli.against(api.uri(), "list", "--all", "--json").assertOk();
        JsonNode merged = ApiJson.parse(r.out());
        assertEquals(List.of("job-3", "job-2", "job-1"), merged.get("jobs").findValuesAsText("id").stream().distinct().toList());
        assertNull(merged.get("next_cursor").textValue());
        List<FakeApi.Request> requests = api.requests("GET", "/jobs");
        assertEquals(3, requests.size());
        assertEquals("limit=1000", requests.get(0).query());
        assertEquals("limit=1000&cursor=c3", requests.get(2).query());
    }

    @Test
    void jsonPrintsThePageAsIs() {
        String page = TestJobs.page("c9", TestJobs.running("job-1"));
        api.onJson("GET", "/jobs", 200, page);
        assertEquals(page, Cli.against(api.uri(), "list", "--json").assertOk().out().strip());
    }

    @Test
    void anEmptyListSaysSo() {
        api.onJson("GET", "/jobs", 200, TestJobs.page(null));
        assertEquals("no jobs\n", Cli.against(api.uri(), "list").assertOk().out());
    }

    @Test
    void refusesContradictoryOrInvalidFilters() {
        Cli.against(api.uri(), "list", "--all", "--cursor", "c1").assertFailed(ExitCodes.USAGE);
        Cli.against(api.uri(), "list", "--status", "done").assertFailed(ExitCodes.USAGE);
        Cli.against(api.uri(), "list", "--since", "last tuesday").assertFailed(ExitCodes.USAGE);
        assertTrue(api.requests().isEmpty());
    }
}
