package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.JobFilter;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", sortOptions = false,
        description = {"List jobs, newest first (GET /jobs).",
            "The list follows the journal with a small lag (use 'spindle get ID' for the latest).",
            "Times: 2026-11-28T10:00:00Z, 2026-11-28T10:00 or 2026-11-28 (local), or an age: 90s, 15m, 2h, 3d."})
public final class ListCommand extends ClientCommand {
    /** The API's largest page, used to walk every page with --all in few round trips. */
    public static final int MAX_PAGE = 1000;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only jobs in this status: queued, leased, running, succeeded, failed, canceled, dead_lettered.")
    String status;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only jobs of this type.")
    String type;

    @Option(names = "--config", paramLabel = "ID", description = "Only jobs on this config.")
    String configId;

    @Option(names = "--since", paramLabel = "TIME", converter = TimeArgument.class, description = "Only jobs created at or after TIME.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = TimeArgument.class, description = "Only jobs created before TIME.")
    Instant until;

    @Option(names = "--limit", paramLabel = "N", description = "Page size, 1 to " + MAX_PAGE + " (server default 50).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue after the page that printed this cursor.")
    String cursor;

    @Option(names = "--all", description = "Every page, not just the first.")
    boolean all;

    @Override
    protected int run(SpindleClient client) {
        if (all && cursor != null) {
            throw usage("--all and --cursor exclude each other: --all starts at the first page");
        }
        if (status != null && JobStatus.fromWireName(status).isEmpty()) {
            throw usage("--status '" + status + "' is not one of "
                    + Arrays.stream(JobStatus.values()).map(JobStatus::wireName).collect(Collectors.joining(", ")));
        }
        Integer pageSize = all && limit == null ? Integer.valueOf(MAX_PAGE) : limit;
        JobFilter filter = new JobFilter(status, type, configId, since, until, pageSize, cursor);
        ApiReply page = client.jobs(filter);
        if (!all) {
            print(page.json(), page);
            return ExitCodes.OK;
        }
        ArrayNode jobs = Json.mapper().createArrayNode();
        JsonNode current = page.json();
        while (true) {
            current.path("jobs").forEach(jobs::add);
            String next = current.path("next_cursor").textValue();
            if (next == null) {
                break;
            }
            current = client.jobs(filter.withCursor(next)).json();
        }
        ObjectNode merged = Json.object();
        merged.set("jobs", jobs);
        merged.putNull("next_cursor");
        print(merged, null);
        return ExitCodes.OK;
    }

    private void print(JsonNode page, ApiReply asSent) {
        if (json()) {
            out().println(asSent != null ? asSent.body().strip() : ApiJson.compact(page));
            return;
        }
        TextTable table = JobText.table();
        ApiJson.list(page, "jobs", Job.class).forEach(j -> JobText.addRow(table, j));
        if (table.size() == 0) {
            out().println("no jobs");
        } else {
            table.print(out());
        }
        String next = page.path("next_cursor").textValue();
        if (next != null) {
            err().println("more: add --cursor " + next + " (or list with --all)");
        }
    }
}
