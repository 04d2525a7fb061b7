package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How a journaled job event ({@code {seq_nr, type, at, payload}}) reads for people: one line of its essentials. */
public final class EventText {
    /** Event types after which a job's history has no more entries (until a requeue). */
    public static final Set<String> TERMINAL_TYPES = Set.of("succeeded", "failed", "canceled", "dead_lettered");
    // Payload fields every event repeats, or that the other columns already show.
    private static final Set<String> SHOWN_ELSEWHERE = Set.of("job_id", "at", "seq_nr", "type", "event");
    private static final int TYPE_WIDTH = 16;
    private static final int AT_WIDTH = 24;

    private EventText() {}

    public static TextTable table() {
        return new TextTable("SEQ", "AT", "EVENT", "DETAILS");
    }

    public static void addRow(TextTable table, JsonNode item) {
        table.row(item.path("seq_nr").asText(), item.path("at").asText(), item.path("type").asText(), details(item.path("payload")));
    }

    /** A streamed event as one line with the same columns as the table (widths fixed, since rows arrive one by one). */
    public static String line(JsonNode item) {
        return String.format("%-4s  %-" + AT_WIDTH + "s  %-" + TYPE_WIDTH + "s  %s",
                item.path("seq_nr").asText(), item.path("at").asText(), item.path("type").asText(), details(item.path("payload"))).stripTrailing();
    }

    /** The payload's fields as {@code key=value}, errors as {@code code: message}, specs by type and config. */
    public static String details(JsonNode payload) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = payload.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (SHOWN_ELSEWHERE.contains(key) || v.isNull()) {
                continue;
            }
            if (key.equals("error") && v.isObject()) {
                parts.add("error=" + v.path("code").asText() + ": " + v.path("message").asText()
                        + (v.path("transient").asBoolean(false) ? " (transient)" : ""));
            } else if (key.equals("spec") && v.isObject()) {
                parts.add("type=" + v.path("type").asText());
                parts.add("config=" + v.path("config_id").asText());
            } else {
                parts.add(key + "=" + Formats.cell(v));
            }
        }
        return String.join(" ", parts);
    }
}
