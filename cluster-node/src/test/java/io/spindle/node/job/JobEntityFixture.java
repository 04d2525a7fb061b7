package io.spindle.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.Config;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.json.Json;
import io.spindle.model.queue.RecordingJobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * One JobEntity under EventSourcedBehaviorTestKit (serialization of every command, event, reply and
 * state verified), with manual time, a test clock moved in step with it, a recording queue and a
 * probe standing in for the shard.
 */
final class JobEntityFixture {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final String NODE = "node-a";
    static final String WORKER = "w1";
    static final Duration TTL = Duration.ofSeconds(30);
    static final Duration RETRY_BASE = Duration.ofSeconds(10);
    static final Duration CANCEL_GRACE = Duration.ofSeconds(15);
    static final Duration PASSIVATE_AFTER = Duration.ofSeconds(5);
    static final Duration RECOVERY_GRACE = Duration.ofSeconds(20);
    /** No jitter, so retry times are exact: 10s, 20s, 40s, capped at 60s. */
    static final JobSettings SETTINGS = new JobSettings(TTL, RECOVERY_GRACE,
            new RetryBackoff(RETRY_BASE, 2.0, Duration.ofSeconds(60), 0.0), CANCEL_GRACE, 0, 2, PASSIVATE_AFTER,
            Duration.ofSeconds(3));
    static final JobSpec SPEC = JobSpecValidator.validate(
            JobSpec.of("text.generate", "cfg-a", Json.object().put("prompt", "a haiku about looms")));

    static Config config() {
        return ManualTime.config().withFallback(EventSourcedBehaviorTestKit.config());
    }

    final ManualTime time;
    final TestClock clock = new TestClock(START);
    final RecordingJobQueue queue = new RecordingJobQueue();
    final TestProbe<ClusterSharding.ShardCommand> shard;
    final String id = JobIds.newId();
    final EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobEntity.State> kit;

    JobEntityFixture(ActorTestKit testKit) {
        this(testKit, SETTINGS);
    }

    JobEntityFixture(ActorTestKit testKit, JobSettings settings) {
        this(testKit, settings, null);
    }

    /** With {@code incarnation} the node process the entity runs in (null: the test system's). */
    JobEntityFixture(ActorTestKit testKit, JobSettings settings, NodeIncarnation incarnation) {
        time = ManualTime.get(testKit.system());
        shard = testKit.createTestProbe(ClusterSharding.ShardCommand.class);
        kit = EventSourcedBehaviorTestKit.create(testKit.system(),
                incarnation == null ? JobEntity.create(id, shard.ref(), queue, settings, clock)
                        : JobEntity.create(id, shard.ref(), queue, settings, clock, incarnation),
                EventSourcedBehaviorTestKit.enabledSerializationSettings());
    }

    CommandResultWithReply<JobEntity.Command, JobEvent, JobEntity.State, JobReply> run(
            Function<ActorRef<JobReply>, JobEntity.Command> command) {
        return kit.runCommand(command);
    }

    static Job accepted(CommandResultWithReply<JobEntity.Command, JobEvent, JobEntity.State, JobReply> result) {
        return assertInstanceOf(JobReply.Accepted.class, result.reply(), () -> "reply " + result.reply()).job();
    }

    static SpindleError rejected(CommandResultWithReply<JobEntity.Command, JobEvent, JobEntity.State, JobReply> result,
                                 ErrorCode expected) {
        SpindleError error = assertInstanceOf(JobReply.Rejected.class, result.reply(), () -> "reply " + result.reply()).error();
        assertEquals(expected, error.code(), error::message);
        assertEquals(List.of(), result.events(), "a rejected command persists nothing");
        return error;
    }

    Job submit() {
        return submit(SPEC);
    }

    Job submit(JobSpec spec) {
        return accepted(run(r -> new JobEntity.Submit(spec, 1, null, r)));
    }

    Job lease() {
        return accepted(run(r -> new JobEntity.AcquireLease(NODE, WORKER, null, r)));
    }

    Job start(int attempt) {
        return accepted(run(r -> new JobEntity.Start(NODE, WORKER, attempt, r)));
    }

    /** Moves the test clock and Pekko's scheduler together. */
    void advance(Duration amount) {
        clock.advance(amount);
        time.timePasses(amount);
    }

    static Instant at(long secondsAfterStart) {
        return START.plusSeconds(secondsAfterStart);
    }

    /** Every event journaled for this job, after whatever a timer may just have triggered. */
    List<Object> journal() {
        kit.getState(); // the entity answers only after a persist in flight has completed
        return kit.persistenceTestKit().persistedInStorage(JobEntity.persistenceId(id).id());
    }

    Object lastEvent() {
        List<Object> events = journal();
        return events.get(events.size() - 1);
    }

    Job job() {
        return kit.getState().job();
    }
}
