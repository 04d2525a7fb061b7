package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How times, durations, sizes and JSON values read in human output. */
public final class Formats {
    /** JSON values in key-value blocks and tables are cut to this many characters; --json shows them whole. */
    public static final int MAX_INLINE_JSON = 200;
    private static final long KIB = 1024;
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};
    private static final String NONE = "-";

    private Formats() {}

    /** ISO-8601 in UTC to the millisecond, e.g. {@code 2026-11-28T10:00:00.123Z}. */
    public static String instant(Instant at) {
        return at == null ? NONE : DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Short and readable: {@code 850ms}, {@code 12.3s}, {@code 4m05s}, {@code 2h03m}. */
    public static String duration(Duration d) {
        if (d == null) {
            return NONE;
        }
        long ms = Math.max(0, d.toMillis());
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    public static String between(Instant from, Instant to) {
        return from == null || to == null ? NONE : duration(Duration.between(from, to));
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 MiB}… */
    public static String bytes(long n) {
        if (n < KIB) {
            return n + " B";
        }
        double v = n;
        int unit = -1;
        while (v >= KIB && unit < UNITS.length - 1) {
            v /= KIB;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    public static String percent(double p) {
        return String.format(Locale.ROOT, "%.0f%%", p);
    }

    /** Compact JSON, cut to {@value #MAX_INLINE_JSON} characters. */
    public static String json(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        String s = ApiJson.compact(node);
        return s.length() > MAX_INLINE_JSON ? s.substring(0, MAX_INLINE_JSON) + "…" : s;
    }

    /** A JSON value as a table cell: strings bare, arrays of scalars comma-separated, anything else compact JSON. */
    public static String cell(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return NONE;
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode item : value) {
                if (!item.isValueNode()) {
                    return json(value);
                }
                b.append(b.length() == 0 ? "" : ",").append(item.asText());
            }
            return b.length() == 0 ? NONE : b.toString();
        }
        return json(value);
    }
}
