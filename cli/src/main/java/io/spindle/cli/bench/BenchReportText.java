package io.spindle.cli.bench;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The bench report as aligned lines for people. */
public final class BenchReportText {
    private static final String NONE = "-";

    private BenchReportText() {}

    public static String render(BenchReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "bench %s: %d x %s on %s (batch %d, concurrency %d, rate %s)%n",
                r.runId(), r.jobs(), r.type(), r.configId(), r.batch(), r.concurrency(),
                r.rateLimit() == null ? "unlimited" : num(r.rateLimit()) + " jobs/s"));
        line(b, "submitted", String.format(Locale.ROOT, "%d in %ss (%s jobs/s), %d refused, %d throttled (429, retried)%s",
                r.submitted(), num(r.submitSeconds()), num(r.submitRate()), r.refused(), r.throttled(),
                r.unsettled() == 0 ? "" : ", " + r.unsettled() + " unsettled (503, looked up)"));
        line(b, "finished", String.format(Locale.ROOT, "%d in %ss end to end (%s jobs/s), %d unfinished, waited %ss",
                r.finished(), opt(r.elapsedSeconds()), opt(r.throughput()), r.unfinished(), num(r.waitSeconds())));
        line(b, "statuses", r.statuses().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        b.append(String.format(Locale.ROOT, "%-16s%10s%10s%10s%10s%8s%n", "latency (ms)", "p50", "p95", "p99", "max", "n"));
        latency(b, "submit->start", r.submitToStart());
        latency(b, "submit->done", r.submitToDone());
        // From the client's send: adds the HTTP round trip and the job entity's creation before created_at.
        latency(b, "sent->start", r.sentToStart());
        latency(b, "sent->done", r.sentToDone());
        failures(b, "refused", r.refusals());
        failures(b, "job errors", r.jobErrors());
        return b.toString();
    }

    private static void latency(StringBuilder b, String name, LatencyStats s) {
        b.append(String.format(Locale.ROOT, "%-16s%10s%10s%10s%10s%8d%n",
                name, ms(s.p50Ms()), ms(s.p95Ms()), ms(s.p99Ms()), ms(s.maxMs()), s.count()));
    }

    private static void failures(StringBuilder b, String name, Map<String, FailureTally> tallies) {
        if (tallies.isEmpty()) {
            return;
        }
        tallies.forEach((code, t) -> line(b, name, t.count() + " x " + code + (t.example() == null ? "" : ": " + t.example())));
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format(Locale.ROOT, "%-16s%s%n", key, value));
    }

    private static String ms(Double v) {
        return v == null ? NONE : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String opt(Double v) {
        return v == null ? NONE : num(v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }
}
