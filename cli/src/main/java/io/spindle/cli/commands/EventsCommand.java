package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.ServerUnreachableException;
import io.spindle.cli.client.SpindleClient;
import io.spindle.cli.client.SseEvent;
import io.spindle.model.job.Job;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "events",
        description = {"Show a job's history, oldest first (GET /jobs/{id}/events).",
            "With --follow, stream transitions as they happen (Server-Sent Events) until the job is terminal; "
                + "with --json each event is printed as one JSON line."})
public final class EventsCommand extends ClientCommand {
    /** Reconnects in a row (no event in between) before following gives up. */
    static final int MAX_RECONNECTS = 5;
    static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new transitions until the job is terminal.")
    boolean follow;

    @Override
    protected int run(SpindleClient client) throws InterruptedException {
        if (!follow) {
            ApiReply reply = client.events(id);
            if (json()) {
                printJson(reply);
            } else {
                TextTable table = EventText.table();
                reply.json().path("events").forEach(item -> EventText.addRow(table, item));
                table.print(out());
            }
            return ExitCodes.OK;
        }
        return followUntilTerminal(client);
    }

    private int followUntilTerminal(SpindleClient client) throws InterruptedException {
        Stream stream = new Stream();
        int emptyEnds = 0;
        while (true) {
            stream.eventsSeen = 0;
            ServerUnreachableException dropped = null;
            try {
                client.followEvents(id, stream.lastId, event -> {
                    if (event.data().isBlank()) {
                        return true; // a heartbeat
                    }
                    stream.eventsSeen++;
                    stream.lastId = event.id() == null ? stream.lastId : event.id();
                    stream.terminal = print(event);
                    return !stream.terminal;
                });
            } catch (ServerUnreachableException e) {
                dropped = e;
            }
            if (stream.terminal) {
                return ExitCodes.OK;
            }
            // The stream ended without a terminal event (a node restarted, a proxy cut it): a job that is terminal
            // anyway is done; otherwise resume after the last event seen, giving up after several empty tries.
            emptyEnds = stream.eventsSeen > 0 ? 0 : emptyEnds + 1;
            if (emptyEnds > MAX_RECONNECTS) {
                throw dropped != null ? dropped
                        : client.unreachable(new IOException("the event stream of job " + id + " keeps ending without events"));
            }
            if (dropped == null && isTerminal(client)) {
                return ExitCodes.OK;
            }
            Thread.sleep(RECONNECT_PAUSE.toMillis());
        }
    }

    private boolean isTerminal(SpindleClient client) {
        try {
            return client.job(id).as(Job.class).status().isTerminal();
        } catch (ServerUnreachableException e) {
            return false;
        }
    }

    /** Where following stands across reconnects. */
    private static final class Stream {
        String lastId;
        int eventsSeen;
        boolean terminal;
    }

    /** Prints one streamed event; answers whether it ends the job's history. */
    private boolean print(SseEvent event) {
        JsonNode item;
        try {
            item = ApiJson.parse(event.data());
        } catch (RuntimeException e) {
            out().println(event.data());
            out().flush();
            return false;
        }
        out().println(json() ? ApiJson.compact(item) : EventText.line(item));
        out().flush();
        String type = item.path("type").asText(event.event());
        return EventText.TERMINAL_TYPES.contains(type);
    }
}
