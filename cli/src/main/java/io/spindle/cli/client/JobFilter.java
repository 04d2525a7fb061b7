package io.spindle.cli.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The query of {@code GET /jobs}: filters combine with AND, null ones do not filter; {@code cursor} continues a page. */
public record JobFilter(String status, String type, String configId, Instant since, Instant until, Integer limit, String cursor) {

    public static JobFilter none() {
        return new JobFilter(null, null, null, null, null, null, null);
    }

    public JobFilter withStatus(String value) {
        return new JobFilter(value, type, configId, since, until, limit, cursor);
    }

    public JobFilter withConfigId(String value) {
        return new JobFilter(status, type, value, since, until, limit, cursor);
    }

    public JobFilter withSince(Instant value) {
        return new JobFilter(status, type, configId, value, until, limit, cursor);
    }

    public JobFilter withLimit(Integer value) {
        return new JobFilter(status, type, configId, since, until, value, cursor);
    }

    public JobFilter withCursor(String value) {
        return new JobFilter(status, type, configId, since, until, limit, value);
    }

    /** The query parameters, named as the API names them. */
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "status", status);
        put(p, "type", type);
        put(p, "config_id", configId);
        put(p, "since", since);
        put(p, "until", until);
        put(p, "limit", limit);
        put(p, "cursor", cursor);
        return p;
    }

    private static void put(Map<String, String> p, String name, Object value) {
        if (value != null) {
            p.put(name, value.toString());
        }
    }
}
