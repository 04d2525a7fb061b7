package io.spindle.gateway.http;

import java.util.Map;

/** The values of a matched path template's {@code {name}} segments, URL-decoded. */
public record PathParams(Map<String, String> values) {
    public PathParams {
        values = Map.copyOf(values);
    }

    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no path parameter '" + name + "' in this route");
        }
        return value;
    }
}
