package io.spindle.cli.commands;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** A block of {@code key:  value} lines with the values aligned; null values are left out. */
public final class KeyValues {
    private final Map<String, String> entries = new LinkedHashMap<>();

    public KeyValues put(String key, Object value) {
        if (value != null) {
            entries.put(key, value.toString());
        }
        return this;
    }

    public String render() {
        int width = entries.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        StringBuilder b = new StringBuilder();
        entries.forEach((k, v) -> {
            String key = k + ":";
            String indent = " ".repeat(width + 1);
            b.append(key).append(" ".repeat(width - key.length() + 1))
                    .append(v.replaceAll("\\R", "\n" + indent)).append('\n');
        });
        return b.toString();
    }

    public void print(PrintWriter out) {
        out.print(render());
    }
}
