package io.spindle.node.dispatch;

import static io.spindle.node.testsupport.ExecutionFixture.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.artifact.Artifact;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.model.queue.InMemoryJobQueue;
import io.spindle.node.testsupport.ExecutionFixture;
import io.spindle.node.worker.WorkerErrors;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The execution path with the Java SDK's built-in workers, each in its own JVM on the test classpath. */
class JavaWorkerDispatchTest {
    private static ExecutionFixture fx;
    private static ActorRef<Dispatcher.Command> dispatcher;

    @BeforeAll
    static void startNode() {
        fx = ExecutionFixture.start("JavaWorkerDispatchTest", new InMemoryJobQueue());
        // One dispatcher for the class: every JVM start costs about a second.
        dispatcher = fx.dispatcher("java-cpu", 2, fx.java());
    }

    @AfterAll
    static void stopNode() {
        fx.stop(dispatcher);
        fx.close();
    }

    @Test
    void anEchoJobSucceedsWithItsArtifactStored() throws Exception {
        String id = fx.submit(spec("cpu.echo", "java-cpu", "{\"text\":\"from java\"}"));

        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);

        assertEquals("from java", done.outputs().get("text").asText());
        Artifact artifact = fx.artifact(done.artifactIds().get(0));
        assertEquals(Json.mapper().readTree("{\"text\":\"from java\"}"), Json.mapper().readTree(fx.bytes(artifact)));
        assertTrue(artifact.worker().startsWith("java-cpu-w"), artifact.worker());
    }

    @Test
    void aHaltedJvmIsRestartedAndTheJobSucceedsOnItsNextAttempt() {
        double before = fx.restarts("java-cpu");
        String id = fx.submit(spec("cpu.crash", "java-cpu", "{\"crash_attempts\":1}"));

        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);

        ExecutionFixture.assertAttempt(2, done);
        assertEquals(WorkerErrors.WORKER_CRASHED, fx.events(id).stream()
                .filter(io.spindle.model.job.JobEvent.RetryScheduled.class::isInstance)
                .map(e -> ((io.spindle.model.job.JobEvent.RetryScheduled) e).error().code()).findFirst().orElseThrow());
        assertTrue(fx.restarts("java-cpu") > before);
    }

    @Test
    void aCanceledSleepStopsInTheWorker() {
        String id = fx.submit(spec("cpu.sleep", "java-cpu", "{\"duration_ms\":30000}"));
        fx.awaitStatus(id, JobStatus.RUNNING);

        fx.cancel(id);

        fx.awaitStatus(id, JobStatus.CANCELED, Duration.ofSeconds(5));
    }
}
