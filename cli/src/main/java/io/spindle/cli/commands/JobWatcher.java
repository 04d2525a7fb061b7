package io.spindle.cli.commands;

import io.spindle.cli.client.ApiException;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.job.Job;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Polls a job until it is terminal, showing its progress: on a terminal one status line redrawn in place, otherwise
 * a plain line each time the status, attempt or whole percent changes. Polls start fast (most jobs are quick) and
 * back off to the chosen interval. 503/504 answers (the entity is busy or moving) are retried a few times.
 */
final class JobWatcher {
    static final Duration FIRST_POLL = Duration.ofMillis(100);
    static final int MAX_CONSECUTIVE_BUSY = 5;
    private static final int UNAVAILABLE = 503;
    private static final int TIMEOUT = 504;
    private static final String CLEAR_LINE = "\r\033[K";

    private final SpindleClient client;
    private final PrintWriter out;
    private final Mode mode;
    private final Duration maxInterval;
    private final Clock clock;

    /** {@code LIVE}: one line redrawn in place (a terminal); {@code LINES}: a line per change; {@code QUIET}: nothing. */
    enum Mode { LIVE, LINES, QUIET }

    JobWatcher(SpindleClient client, PrintWriter out, Mode mode, Duration maxInterval, Clock clock) {
        this.client = client;
        this.out = out;
        this.mode = mode;
        this.maxInterval = maxInterval;
        this.clock = clock;
    }

    /** The job's answer once it is terminal. */
    ApiReply await(String jobId) throws InterruptedException {
        Duration interval = FIRST_POLL.compareTo(maxInterval) < 0 ? FIRST_POLL : maxInterval;
        String lastShown = null;
        int busy = 0;
        while (true) {
            ApiReply reply;
            try {
                reply = client.job(jobId);
                busy = 0;
            } catch (ApiException e) {
                if ((e.status() != UNAVAILABLE && e.status() != TIMEOUT) || ++busy > MAX_CONSECUTIVE_BUSY) {
                    endLiveLine(lastShown);
                    throw e;
                }
                Thread.sleep(interval.toMillis());
                continue;
            }
            Job job = reply.as(Job.class);
            boolean terminal = job.status().isTerminal();
            lastShown = show(job, lastShown, terminal);
            if (terminal) {
                return reply;
            }
            Thread.sleep(interval.toMillis());
            interval = interval.multipliedBy(2).compareTo(maxInterval) > 0 ? maxInterval : interval.multipliedBy(2);
        }
    }

    private String show(Job job, String lastShown, boolean terminal) {
        if (mode == Mode.QUIET) {
            return null;
        }
        String line = JobText.statusLine(job, clock.instant());
        if (mode == Mode.LIVE) {
            out.print(CLEAR_LINE + line + (terminal ? "\n" : ""));
            out.flush();
            return line;
        }
        // Plain lines: print on a change of what matters, not of the elapsed time.
        String key = job.status() + "|" + job.attempt() + "|" + job.cancelRequested() + "|"
                + (job.progress() == null || terminal ? "" : Formats.percent(job.progress().percent()));
        if (!Objects.equals(key, lastShown)) {
            out.println(line);
            out.flush();
        }
        return key;
    }

    private void endLiveLine(String lastShown) {
        if (mode == Mode.LIVE && lastShown != null) {
            out.println();
            out.flush();
        }
    }
}
