package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How an experiment, its plan and its report read for people. */
final class ExperimentText {
    private static final String NONE = "-";

    private ExperimentText() {}

    static KeyValues plan(JsonNode plan) {
        return new KeyValues()
                .put("experiment", plan.path("id").asText())
                .put("sources", plan.path("sources").asInt())
                .put("arms", join(plan.path("arms")))
                .put("repetitions", plan.path("repetitions").asInt())
                .put("scorers", join(plan.path("scorers")))
                .put("jobs", plan.path("planned_jobs").asInt() + " of at most " + plan.path("max_jobs").asInt()
                        + (plan.path("within_budget").asBoolean() ? "" : " (over budget: creating it is refused)"));
    }

    static KeyValues status(JsonNode e) {
        JsonNode spec = e.path("spec");
        List<String> arms = new ArrayList<>(List.of("original"));
        if (!spec.path("baseline").isBoolean() || spec.path("baseline").asBoolean()) {
            arms.add("baseline");
        }
        spec.path("candidates").forEach(c -> arms.add(c.path("name").asText() + " (" + c.path("config_id").asText() + " v"
                + c.path("version").asText() + ")"));
        List<String> scorers = new ArrayList<>();
        spec.path("scorers").forEach(s -> scorers.add(s.path("name").asText() + " (" + s.path("type").asText() + ")"));
        return new KeyValues()
                .put("experiment", e.path("id").asText())
                .put("status", e.path("status").asText())
                .put("description", spec.path("description").asText(null))
                .put("sources", e.path("sources").size())
                .put("arms", String.join(", ", arms))
                .put("scorers", scorers.isEmpty() ? NONE : String.join(", ", scorers))
                .put("replays", e.path("replays_done").asInt() + " done, " + e.path("pending_replays").asInt() + " pending")
                .put("scores", e.path("scores_done").asInt() + " done, " + e.path("pending_scores").asInt() + " pending")
                .put("created", e.path("created_at").asText(null))
                .put("completed", e.path("completed_at").asText(null));
    }

    static void report(JsonNode r, PrintWriter out) {
        out.println("experiment " + r.path("experiment").asText() + ": " + r.path("status").asText() + ", " + r.path("sources").asInt()
                + " sources, " + r.path("pending_jobs").asInt() + " jobs pending");
        out.println();
        TextTable arms = new TextTable("ARM", "JOBS", "FAILED", "ERROR RATE", "P50", "P95");
        r.path("arms").forEach(a -> {
            JsonNode l = a.path("latency");
            arms.row(a.path("arm").asText(), l.path("jobs").asInt(), l.path("failed").asInt(), number(l.path("error_rate")),
                    millis(l.path("p50_millis")), millis(l.path("p95_millis")));
        });
        arms.print(out);
        out.println();
        TextTable metrics = new TextTable("METRIC", "REFERENCE → CANDIDATE", "N", "MEANS", "DELTA [95% CI]", "W/T/L", "WIN RATE [95% CI]");
        r.path("comparisons").forEach(c -> {
            JsonNode p = c.path("comparison");
            metrics.row(c.path("metric").asText() + " (" + c.path("direction").asText() + ")",
                    c.path("reference").asText() + " → " + c.path("candidate").asText(), p.path("n").asInt(),
                    number(p.path("baseline_mean")) + " → " + number(p.path("candidate_mean")),
                    number(p.path("mean_delta")) + " " + interval(p.path("mean_delta_interval")),
                    p.path("wins").asInt() + "/" + p.path("ties").asInt() + "/" + p.path("losses").asInt(),
                    number(p.path("win_rate")) + " " + interval(p.path("win_rate_interval")));
        });
        metrics.print(out);
        if (!r.path("regressions").isEmpty()) {
            out.println();
            out.println("top regressions:");
            TextTable regressions = new TextTable("METRIC", "SOURCE JOB", "DELTA", "REFERENCE JOBS", "CANDIDATE JOBS");
            r.path("regressions").forEach(g -> regressions.row(g.path("metric").asText() + " (" + g.path("candidate").asText() + ")",
                    g.path("source_job").asText(), number(g.path("delta")), join(g.path("reference_jobs")), join(g.path("candidate_jobs"))));
            regressions.print(out);
        }
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return items.isEmpty() ? NONE : String.join(", ", items);
    }

    private static String number(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4g", n.asDouble()) : NONE;
    }

    private static String millis(JsonNode n) {
        return n.isNumber() ? Formats.duration(java.time.Duration.ofMillis(Math.round(n.asDouble()))) : NONE;
    }

    private static String interval(JsonNode i) {
        return i.has("lower") ? "[" + number(i.get("lower")) + ", " + number(i.get("upper")) + "]" : "";
    }
}
