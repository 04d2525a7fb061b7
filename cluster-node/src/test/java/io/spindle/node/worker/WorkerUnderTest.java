package io.spindle.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spindle.model.job.Job;
import io.spindle.node.config.WorkerLaunch;
import io.spindle.node.job.JobEntity;
import io.spindle.node.testsupport.ExecutionFixture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One {@link WorkerProcess} of a fresh config on an {@link ExecutionFixture}, with the test playing its dispatcher:
 * it leases each job to the worker and sends the Run, and a probe gets the worker's Ready / Unavailable.
 */
final class WorkerUnderTest {
    private static final AtomicInteger configs = new AtomicInteger();
    private static final Duration LEASE_TTL = Duration.ofSeconds(20);

    final String configId;
    final ActorRef<WorkerProcess.Command> worker;
    final TestProbe<WorkerProcess.Status> dispatcher;
    private final ExecutionFixture fx;

    private WorkerUnderTest(ExecutionFixture fx, String configId, ActorRef<WorkerProcess.Command> worker,
                            TestProbe<WorkerProcess.Status> dispatcher) {
        this.fx = fx;
        this.configId = configId;
        this.worker = worker;
        this.dispatcher = dispatcher;
    }

    /** A worker process running {@code command} for a config of its own, once it is up and idle. */
    static WorkerUnderTest start(ExecutionFixture fx, WorkerHost host, WorkerLaunch command) {
        String configId = "wut-" + configs.incrementAndGet();
        TestProbe<WorkerProcess.Status> dispatcher = fx.testKit.createTestProbe();
        ActorRef<WorkerProcess.Command> worker = fx.testKit.spawn(WorkerProcess.create(configId, 1, command, host, dispatcher.ref()));
        WorkerUnderTest w = new WorkerUnderTest(fx, configId, worker, dispatcher);
        w.expectReady(0);
        return w;
    }

    String name() {
        return WorkerProcess.workerName(configId, 1);
    }

    /** Leases the job to the worker and sends it the Run, as the dispatcher does. */
    void run(String jobId) {
        Job leased = fx.ask(jobId, r -> new JobEntity.AcquireLease(ExecutionFixture.NODE, name(), LEASE_TTL, r)).orThrow();
        worker.tell(new WorkerProcess.Run(leased));
    }

    /** The worker asks for its next job, having received {@code runsReceived} Runs. */
    void expectReady(long runsReceived) {
        assertEquals(new WorkerProcess.Ready(worker, runsReceived), dispatcher.expectMessageClass(WorkerProcess.Ready.class, ExecutionFixture.WAIT));
    }

    void stop() {
        fx.testKit.stop(worker, ExecutionFixture.WAIT);
    }
}
