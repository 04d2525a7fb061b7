package io.spindle.gateway.testsupport;

import io.spindle.model.job.JobEvent;
import io.spindle.node.job.JobEntity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;

/**
 * A slow store on demand: while closed, the in-memory journal holds the first write of a job submitted to one
 * config until the gate opens. The journal serves one operation at a time, so every other write and every
 * recovery read waits behind the held one, as on a saturated store. Other configs' writes pass while it is open.
 */
public final class JournalGate implements AutoCloseable {
    private static final Duration MAX_HOLD = Duration.ofSeconds(30);

    private final PersistenceTestKit journal;
    private final String configId;
    private final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final List<String> written = new CopyOnWriteArrayList<>();

    private JournalGate(ActorSystem<?> system, String configId) {
        this.journal = PersistenceTestKit.create(system);
        this.configId = configId;
    }

    /** Closes a gate for the jobs of {@code configId}; {@link #close()} opens it and restores the plain journal. */
    public static JournalGate closedFor(ActorSystem<?> system, String configId) {
        JournalGate gate = new JournalGate(system, configId);
        gate.journal.withPolicy(gate.new Policy());
        return gate;
    }

    /** Waits until a write is being held. */
    public void awaitHolding() throws InterruptedException {
        if (!holding.await(MAX_HOLD.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("no write of a job of " + configId + " reached the journal");
        }
    }

    /** The ids of the config's jobs whose Submitted event reached the journal while this gate was installed. */
    public List<String> submittedJobIds() {
        return List.copyOf(written);
    }

    /** Lets the held write (and everything queued behind it) through. */
    public void open() {
        open.countDown();
    }

    @Override
    public void close() {
        open();
        journal.resetPolicy();
    }

    private final class Policy implements ProcessingPolicy<JournalOperation> {
        @Override
        public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
            List<String> submitted = operation instanceof WriteEvents write && persistenceId.startsWith(JobEntity.PERSISTENCE_ID_PREFIX)
                    ? write.getBatch().stream().map(this::submittedToGatedConfig).flatMap(Optional::stream).toList() : List.of();
            if (!submitted.isEmpty()) {
                written.addAll(submitted);
                holding.countDown();
                try {
                    if (!open.await(MAX_HOLD.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the journal gate was never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ProcessingSuccess$.MODULE$;
        }

        private Optional<String> submittedToGatedConfig(Object payload) {
            Object event = payload instanceof Tagged t ? t.payload() : payload;
            return event instanceof JobEvent.Submitted s && configId.equals(s.spec().configId()) ? Optional.of(s.jobId()) : Optional.empty();
        }
    }
}
