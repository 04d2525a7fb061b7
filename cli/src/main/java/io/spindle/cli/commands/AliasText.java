package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** How an alias, its targets and the evidence of its changes read for people. */
final class AliasText {
    private static final String NONE = "-";

    private AliasText() {}

    static KeyValues block(JsonNode alias) {
        List<String> previous = new ArrayList<>();
        alias.path("previous").forEach(t -> previous.add(target(t)));
        JsonNode history = alias.path("history");
        JsonNode last = history.isArray() && !history.isEmpty() ? history.get(history.size() - 1) : null;
        return new KeyValues()
                .put("alias", alias.path("name").asText())
                .put("target", target(alias.path("target")))
                .put("rollback to", previous.isEmpty() ? NONE : previous.get(previous.size() - 1))
                .put("last change", last == null ? NONE : last.path("kind").asText() + " at " + last.path("at").asText()
                        + " by " + last.path("actor").asText() + (last.path("reason").isTextual() ? ": " + last.path("reason").asText() : ""))
                .put("evidence", last == null ? NONE : evidence(last))
                .put("shadow", shadow(alias.path("shadow")));
    }

    /** {@code 20% to tts-flite v1 (experiment shadow-tts-prod-3, gate tts-quality)}, or {@code -}. */
    static String shadow(JsonNode s) {
        return s == null || !s.has("candidate") ? NONE : s.path("percent").asInt() + "% to " + target(s.get("candidate")) + " (experiment "
                + s.path("experiment").asText() + ", gate " + s.path("gate").asText() + ")";
    }

    /** {@code tts-flite v2}, or {@code -} when there is none. */
    static String target(JsonNode t) {
        return t == null || !t.has("config_id") ? NONE : t.get("config_id").asText() + " v" + t.path("version").asText();
    }

    /** {@code exp-1/tts-quality: pass (arm flite)}, {@code forced}, or {@code -}. */
    static String evidence(JsonNode change) {
        JsonNode e = change.path("evidence");
        String cited = e.has("experiment") ? e.path("experiment").asText() + "/" + e.path("gate").asText() + ": " + e.path("verdict").asText()
                + (e.path("candidate_arm").isTextual() ? " (arm " + e.get("candidate_arm").asText() + ")" : "") : null;
        if (change.path("forced").asBoolean(false)) {
            return cited == null ? "forced" : "forced, " + cited;
        }
        return cited == null ? NONE : cited;
    }
}
