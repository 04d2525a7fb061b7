package io.spindle.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.Progress;
import io.spindle.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.apache.pekko.serialization.jackson.JacksonJsonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every event, command, reply and the snapshot state round-trips through Pekko's configured serializers. */
class JobSerializationTest {
    private static final ActorTestKit testKit = ActorTestKit.create("JobSerializationTest");
    private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());
    private static final Instant T = Instant.parse("2026-01-01T00:00:00.123456Z");
    private static final JobSpec SPEC = JobEntityFixture.SPEC.withIdempotencyKey("order-17");
    private static final JobError TRANSIENT = JobError.transientError("oom", "CUDA out of memory");

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    static List<JobEvent> everyEvent() {
        String id = "3f1c2a9e-0000-4000-8000-000000000001";
        return List.of(
                new JobEvent.Submitted(id, SPEC, 2, "an-older-job", T),
                new JobEvent.Submitted(id, SPEC, null, null, T),
                new JobEvent.Leased(id, 1, "node-a", "w1", T.plusSeconds(60), T),
                new JobEvent.Started(id, 1, T),
                new JobEvent.Succeeded(id, 1, Json.object().put("text", "done").put("score", 0.5), List.of("a1", "a2"), T),
                new JobEvent.Failed(id, 1, JobError.permanent("bad_input", "no"), T),
                new JobEvent.RetryScheduled(id, 1, TRANSIENT, T.plusSeconds(10), T),
                new JobEvent.DeadLettered(id, 3, TRANSIENT, T),
                new JobEvent.CancelRequested(id, "stop", T),
                new JobEvent.Canceled(id, "stop", T),
                new JobEvent.Requeued(id, T));
    }

    @Test
    void everyJobEventRoundTripsAsJsonNamedByItsStableTypeName() {
        Serialization pekko = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        for (JobEvent event : everyEvent()) {
            assertEquals(event, serialization.verifySerialization(event, true));

            Serializer serializer = pekko.findSerializerFor(event);
            assertInstanceOf(JacksonJsonSerializer.class, serializer);
            assertEquals(7101, serializer.identifier());
            assertEquals("", Serializers.manifestFor(serializer, event), "no class name in the journal");
            String json = new String(pekko.serialize(event).get(), StandardCharsets.UTF_8);
            String name = event.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
            assertTrue(json.contains("\"event\":\"" + name + "\""), json);
        }
    }

    @Test
    void everyCommandAndReplyRoundTripsAsCbor() {
        ActorRef<JobReply> replyTo = testKit.createTestProbe(JobReply.class).ref();
        Progress progress = new Progress(12.5, "step 3/24", T);
        List<Object> messages = List.of(
                new JobEntity.Submit(SPEC, 4, "an-older-job", replyTo),
                new JobEntity.Submit(SPEC, null, null, replyTo),
                new JobEntity.AcquireLease("node-a", "w1", Duration.ofSeconds(45), replyTo),
                new JobEntity.AcquireLease("node-a", "w1", null, replyTo),
                new JobEntity.Heartbeat("node-a", "w1", 1, progress, replyTo),
                new JobEntity.Heartbeat("node-a", "w1", 1, null, replyTo),
                new JobEntity.ReportProgress("node-a", "w1", 2, progress, replyTo),
                new JobEntity.Start("node-a", "w1", 1, replyTo),
                new JobEntity.Complete("node-a", "w1", 1, Json.object().put("x", 1), List.of("a1"), replyTo),
                new JobEntity.Fail("node-a", "w1", 1, TRANSIENT, replyTo),
                new JobEntity.Cancel("stop", replyTo),
                new JobEntity.CancelConfirmed("node-a", "w1", 1, replyTo),
                new JobEntity.Requeue(replyTo),
                new JobEntity.Get(replyTo),
                new JobReply.Accepted(aRunningJob()),
                new JobReply.Rejected(SpindleError.of(ErrorCode.LEASE_MISMATCH, "not yours", Map.of("status", "running", "attempt", 2))),
                new JobReply.Rejected(SpindleError.of(ErrorCode.JOB_NOT_FOUND, "no job x")));
        Serialization pekko = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        for (Object message : messages) {
            assertEquals(message, serialization.verifySerialization(message, true));
            assertInstanceOf(JacksonCborSerializer.class, pekko.findSerializerFor(message), message::toString);
        }
    }

    @Test
    void theSnapshotStateRoundTripsAsJson() {
        Job job = aRunningJob();
        List<JobEntity.State> states = List.of(
                JobEntity.State.EMPTY,
                new JobEntity.State(job, Duration.ofSeconds(60), "stop", T));
        for (JobEntity.State state : states) {
            assertEquals(state, serialization.verifySerialization(state, true));
        }
    }

    @Test
    void theReadModelJsonOfAJobStillRoundTrips() throws Exception {
        Job job = aRunningJob();

        String json = Json.mapper().writeValueAsString(job);

        assertTrue(json.contains("\"status\":\"running\""), json);
        assertEquals(job, Json.mapper().readValue(json, Job.class));
    }

    @Test
    void javaSerializationIsOff() {
        assertFalse(testKit.system().settings().config().getBoolean("pekko.actor.allow-java-serialization"));
    }

    private static Job aRunningJob() {
        List<JobEvent> events = everyEvent();
        Job job = Job.submitted((JobEvent.Submitted) events.get(0));
        job = job.apply(events.get(2)).apply(events.get(3)).withProgress(new Progress(50, "half", T));
        return job.withLeaseExpiry(T.plusSeconds(90));
    }
}
