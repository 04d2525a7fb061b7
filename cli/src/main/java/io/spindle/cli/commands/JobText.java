package io.spindle.cli.commands;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** How a job reads for people: a key-value block for one job, a table row for many, a one-line status. */
public final class JobText {
    private JobText() {}

    public static KeyValues block(Job j) {
        KeyValues kv = new KeyValues()
                .put("id", j.id())
                .put("type", j.type())
                .put("config", j.configVersion() == null ? j.configId() : j.configId() + " (version " + j.configVersion() + ")")
                .put("status", status(j))
                .put("attempt", j.attempt() + "/" + j.attemptsLimit())
                .put("priority", j.priority())
                .put("timeout", j.timeoutSeconds() + "s");
        if (j.progress() != null && !j.status().isTerminal()) {
            String message = j.progress().message() == null ? "" : " " + j.progress().message();
            kv.put("progress", Formats.percent(j.progress().percent()) + message);
        }
        if (j.lease() != null) {
            kv.put("lease", j.lease().node() + " / " + j.lease().worker() + " until " + Formats.instant(j.lease().expiresAt()));
        }
        if (j.retryAt() != null && j.status() == JobStatus.QUEUED) {
            kv.put("retry at", Formats.instant(j.retryAt()));
        }
        kv.put("idempotency key", j.idempotencyKey())
                .put("replay of", j.replayOf())
                .put("labels", j.labels().isEmpty() ? null : j.labels().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(" ")))
                .put("created", Formats.instant(j.createdAt()))
                .put("started", j.startedAt() == null ? null : Formats.instant(j.startedAt()))
                .put("finished", j.finishedAt() == null ? null : Formats.instant(j.finishedAt()))
                .put("duration", j.finishedAt() == null ? null : Formats.between(j.createdAt(), j.finishedAt()));
        if (j.lastError() != null) {
            kv.put("error", j.lastError().code() + ": " + j.lastError().message() + (j.lastError().isTransient() ? " (transient)" : ""));
        }
        kv.put("input", Formats.json(j.input()))
                .put("outputs", Formats.json(j.outputs()))
                .put("artifacts", j.artifactIds().isEmpty() ? null : String.join(" ", j.artifactIds()));
        return kv;
    }

    public static final List<String> COLUMNS = List.of("ID", "TYPE", "CONFIG", "STATUS", "ATTEMPT", "CREATED", "DURATION");

    public static TextTable table() {
        return new TextTable(COLUMNS.toArray(String[]::new));
    }

    public static void addRow(TextTable table, Job j) {
        table.row(j.id(), j.type(), j.configId(), status(j), j.attempt() + "/" + j.attemptsLimit(),
                Formats.instant(j.createdAt()), j.finishedAt() == null ? null : Formats.between(j.createdAt(), j.finishedAt()));
    }

    /** The live line of {@code wait}: status, progress, attempt, elapsed. */
    public static String statusLine(Job j, Instant now) {
        StringBuilder b = new StringBuilder(j.id()).append("  ").append(status(j));
        if (j.progress() != null && !j.status().isTerminal()) {
            b.append("  ").append(Formats.percent(j.progress().percent()));
        }
        b.append("  attempt ").append(j.attempt()).append('/').append(j.attemptsLimit());
        Instant end = j.finishedAt() != null ? j.finishedAt() : now;
        b.append("  elapsed ").append(Formats.between(j.createdAt(), end));
        if (j.retryAt() != null && j.status() == JobStatus.QUEUED) {
            b.append("  retry at ").append(Formats.instant(j.retryAt()));
        }
        return b.toString();
    }

    private static String status(Job j) {
        String s = j.status().wireName();
        return j.cancelRequested() && !j.status().isTerminal() ? s + " (cancel requested)" : s;
    }
}
