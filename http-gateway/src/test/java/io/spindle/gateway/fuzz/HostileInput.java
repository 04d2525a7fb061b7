package io.spindle.gateway.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of what a hostile but fair client sends: JSON texts that are deep, huge, oddly encoded, of the
 * wrong type or with keys given twice; bytes that are not JSON or not UTF-8; path ids and query strings
 * that no endpoint expects. JSON is produced as text, since a tree cannot hold a duplicate key.
 */
final class HostileInput {
    private HostileInput() {}

    /** Nesting depths around the limits (32 for a value, 40 for a body) and far beyond them. */
    private static final List<Integer> DEPTHS = List.of(1, 2, 31, 32, 33, 38, 39, 40, 41, 100, 400, 999, 5000);

    static Arbitrary<String> jsonValue() {
        return Arbitraries.lazyOf(
                HostileInput::scalar,
                HostileInput::deep,
                HostileInput::object,
                () -> jsonValue().list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]"));
    }

    static Arbitrary<String> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-0", "1", "-1", "0.5", "1e999", "-1e999", "1e-999",
                        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "9".repeat(34), "9".repeat(35),
                        "9".repeat(400), "1." + "0".repeat(300) + "1", "\"\"", "\"5\"", "\"true\"", "{}", "[]", "[null]"),
                string());
    }

    static Arbitrary<String> string() {
        return Arbitraries.oneOf(
                Arbitraries.of("\\u0000", "a\\u0000b", "\\ud800", "\\udc00", "\\udc00\\ud800", "\\ud83d\\ude00", "\\uffff", "\\ufeff",
                        "\\u202e", "\\\\", "\\\"", "$where", "a.b", "..", "__proto__", "%00", "\\n\\r\\t", "x".repeat(5000),
                        "ünïcödé", "𝔘𝔫𝔦", "e\\u0301", "cpu.echo", "cpu.fail", LiveNode.CONFIG),
                Arbitraries.strings().ofMaxLength(12).map(HostileInput::escape))
                .map(s -> "\"" + s + "\"");
    }

    static Arbitrary<String> key() {
        return Arbitraries.oneOf(
                Arbitraries.of("\"\\u0000\"", "\"a\\u0000\"", "\"$set\"", "\"a.b\"", "\"\"", "\"_id\"", "\"\\ud800\"", "\"type\"",
                        "\"input\"", "\"params\"", "\"jobs\"", "\"x\""),
                string());
    }

    static Arbitrary<String> object() {
        Arbitrary<String> entry = Combinators.combine(key(), Arbitraries.lazy(HostileInput::jsonValue)).as((k, v) -> k + ":" + v);
        return Arbitraries.oneOf(
                entry.list().ofMaxSize(3).map(entries -> "{" + String.join(",", entries) + "}"),
                // a key given twice
                Combinators.combine(key(), scalar(), scalar()).as((k, a, b) -> "{" + k + ":" + a + "," + k + ":" + b + "}"));
    }

    static Arbitrary<String> deep() {
        return Combinators.combine(Arbitraries.of(DEPTHS), Arbitraries.of(true, false)).as((depth, objects) -> objects
                ? "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1)
                : "[".repeat(depth) + "]".repeat(depth));
    }

    /** Valid request bodies with one field replaced, removed, doubled or added. */
    static Arbitrary<String> mutatedBody(String valid, List<String> fields) {
        Arbitrary<String> field = Arbitraries.of(fields);
        return Arbitraries.oneOf(
                Combinators.combine(field, jsonValue()).as((f, v) -> replace(valid, f, v)),
                Combinators.combine(field, scalar()).as((f, v) -> valid.substring(0, valid.length() - 1) + ",\"" + f + "\":" + v + "}"),
                Combinators.combine(key(), jsonValue()).as((k, v) -> valid.substring(0, valid.length() - 1) + "," + k + ":" + v + "}"),
                field.map(f -> remove(valid, f)),
                Arbitraries.just(valid));
    }

    /** Bodies that are not a JSON object, or not JSON, or not UTF-8. */
    static Arbitrary<byte[]> rawBody() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "null", "nul", "{", "}", "{}", "[]", "[{}]", "\"\"", "0", "{\"a\":}", "{'a':1}", "{\"a\":1,}",
                        "{\"a\" 1}", "/* c */ {}", "{}{}", "\uFEFF{}", "NaN", "Infinity", "{\"a\":NaN}", "{\"a\":01}")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}, new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'},
                        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                        new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'}, new byte[] {0, 0, 0, 0}),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64));
    }

    static Arbitrary<String> pathId() {
        return Arbitraries.oneOf(
                Arbitraries.of("x", "%00", "..", "%2e%2e", "a%2Fb", "%C3%BC", "%FF%FE", "a".repeat(3000), "'%20OR%201=1", "%7Bid%7D", "%20",
                        "null", "-1", "9".repeat(40), "%E2%80%AE", "$where", "a.b", "%0d%0aX-Injected:%201", "batch", LiveNode.CONFIG,
                        "00000000-0000-0000-0000-000000000000"),
                Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-', '_', '.', '~').ofMinLength(1).ofMaxLength(40));
    }

    static Arbitrary<String> query() {
        return Arbitraries.of("", "", "?limit=-1", "?limit=0", "?limit=101", "?limit=99999999999999999999", "?limit=abc", "?limit=",
                "?status=nope", "?status=%00", "?status=queued&status=failed", "?since=yesterday", "?until=9999-12-31T00:00:00Z",
                "?since=-999999999-01-01T00:00:00Z", "?cursor=%25%25", "?cursor=AAAA", "?cursor=" + "A".repeat(2000), "?version=0",
                "?version=1.5", "?version=99999999999", "?unknown=1", "?type=%00", "?config_id=%FF", "?&&&", "?=", "?limit=1&limit=2");
    }

    private static String escape(String raw) {
        StringBuilder out = new StringBuilder();
        for (char c : raw.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String replace(String valid, String field, String value) {
        String marker = "\"" + field + "\":";
        int at = valid.indexOf(marker);
        if (at < 0) {
            return valid.substring(0, valid.length() - 1) + "," + marker + value + "}";
        }
        int start = at + marker.length();
        int end = endOfValue(valid, start);
        return valid.substring(0, start) + value + valid.substring(end);
    }

    private static String remove(String valid, String field) {
        String marker = "\"" + field + "\":";
        int at = valid.indexOf(marker);
        if (at < 0) {
            return valid;
        }
        int end = endOfValue(valid, at + marker.length());
        String without = valid.substring(0, at) + valid.substring(end);
        return without.replace(",,", ",").replace("{,", "{").replace(",}", "}");
    }

    /** End of the JSON value starting at {@code start} in the (well-formed, escape-free) templates. */
    private static int endOfValue(String json, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                inString = c != '"';
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return json.length();
    }
}
