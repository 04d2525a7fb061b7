package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spindle.cli.client.ApiException;
import io.spindle.cli.client.FakeApi;
import io.spindle.cli.client.SpindleClient;
import io.spindle.cli.client.TestJobs;
import io.spindle.model.job.JobStatus;
import io.spindle.model.job.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class JobWatcherTest {
    private static final String ID = "j1";
    private static final Clock AT_T0_PLUS_3S = Clock.fixed(TestJobs.T0.plusSeconds(3), ZoneOffset.UTC);

    @AutoClose
    private final FakeApi api = new FakeApi();
    private final StringWriter out = new StringWriter();

    private JobWatcher watcher(JobWatcher.Mode mode) {
        return new JobWatcher(new SpindleClient(api.uri(), null), new PrintWriter(out, true), mode, Duration.ofMillis(20), AT_T0_PLUS_3S);
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceWithProgressAndEndsWithANewline() throws InterruptedException {
        api.on("GET", "/jobs/" + ID, FakeApi.sequence(
                FakeApi.json(200, TestJobs.json(TestJobs.queued(ID))),
                FakeApi.json(200, TestJobs.json(TestJobs.running(ID).withProgress(new Progress(42.4, "step 2/5", TestJobs.T0)))),
                FakeApi.json(200, TestJobs.json(TestJobs.ended(ID, JobStatus.SUCCEEDED)))));
        watcher(JobWatcher.Mode.LIVE).await(ID);
        assertEquals("\r\033[Kj1  queued  attempt 1/3  elapsed 3.0s"
                + "\r\033[Kj1  running  42%  attempt 1/3  elapsed 3.0s"
                + "\r\033[Kj1  succeeded  attempt 1/3  elapsed 2.0s\n", out.toString());
    }

    @Test
    void plainLinesOnlyWhenSomethingChanges() throws InterruptedException {
        String running = TestJobs.json(TestJobs.running(ID));
        api.on("GET", "/jobs/" + ID, FakeApi.sequence(
                FakeApi.json(200, running), FakeApi.json(200, running), FakeApi.json(200, running),
                FakeApi.json(200, TestJobs.json(TestJobs.ended(ID, JobStatus.DEAD_LETTERED)))));
        watcher(JobWatcher.Mode.LINES).await(ID);
        assertEquals("j1  running  attempt 1/3  elapsed 3.0s\nj1  dead_lettered  attempt 1/3  elapsed 2.0s\n", out.toString());
    }

    @Test
    void quietPrintsNothing() throws InterruptedException {
        api.onJson("GET", "/jobs/" + ID, 200, TestJobs.json(TestJobs.ended(ID, JobStatus.FAILED)));
        watcher(JobWatcher.Mode.QUIET).await(ID);
        assertEquals("", out.toString());
    }

    @Test
    void givesUpWhenTheServerStaysBusy() {
        api.on("GET", "/jobs/" + ID, FakeApi.error(503, "unavailable", "journal down"));
        ApiException e = assertThrows(ApiException.class, () -> watcher(JobWatcher.Mode.QUIET).await(ID));
        assertEquals("unavailable", e.code());
        assertEquals(JobWatcher.MAX_CONSECUTIVE_BUSY + 1, api.requests("GET", "/jobs/" + ID).size());
    }
}
