package io.spindle.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's Prometheus metrics, one registry per ActorSystem. Every meter Spindle exposes is named
 * here, so {@code GET /metrics} has one place to look: job transitions by type and config, queue depth
 * and oldest-queued age, submit→start and run-time histograms, worker states and restarts, journal
 * write latency and batch size. Run metrics (submit→start, run time, the outcome of an attempt a worker
 * reported) are counted on the node whose worker ran the attempt; submits and the transitions the job's entity
 * decides itself (a lease that ran out, a cancel of a queued job) where the entity lives.
 */
public final class SpindleMetrics implements Extension {
    private static final Duration[] LATENCY_SLOS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10)
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    /** What the function counters read: Micrometer would hold it weakly. */
    private final List<Supplier<Number>> countSources = new CopyOnWriteArrayList<>();
    // The meters of every transition, built once: a builder per transition cost more than the count itself.
    private final Meter.MeterProvider<Counter> submitted = Counter.builder("spindle_jobs_submitted")
            .description("Jobs accepted").withRegistry(registry);
    private final Meter.MeterProvider<Counter> finished = Counter.builder("spindle_jobs_finished")
            .description("Jobs that reached a terminal state, a retry or a released lease").withRegistry(registry);
    private final Meter.MeterProvider<Timer> submitToStart = Timer.builder("spindle_job_submit_to_start")
            .description("Time from (re)queue to start").serviceLevelObjectives(LATENCY_SLOS).withRegistry(registry);
    private final Meter.MeterProvider<Timer> runTime = Timer.builder("spindle_job_run")
            .description("Run time of succeeded attempts").serviceLevelObjectives(LATENCY_SLOS).withRegistry(registry);

    public static SpindleMetrics get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * Counts a journaled transition where the job's entity lives; {@code job} is the view after it. Call once, after
     * persisting — never on recovery. A transition a worker reported ({@code reportedByWorker}: the end of its
     * attempt) is not counted here but by {@link #attemptEnded} on the worker's node, so that run metrics are where
     * the work ran (the entity may live on any node).
     */
    public void transition(Job job, JobEvent event, boolean reportedByWorker) {
        if (event instanceof JobEvent.Submitted s) {
            submitted.withTags("type", s.spec().type(), "config", s.spec().configId()).increment();
            return;
        }
        String outcome = outcome(event);
        if (job != null && outcome != null && !reportedByWorker) {
            finished(job, outcome);
        }
    }

    /** An attempt this node's worker begins: the job's wait from (re)queue to {@code startedAt}. */
    public void attemptStarted(Job job, Instant startedAt) {
        if (job.queuedAt() != null && startedAt != null) {
            submitToStart.withTags("config", job.configId()).record(Duration.between(job.queuedAt(), startedAt));
        }
    }

    /**
     * The end of an attempt this node's worker ran, as the job's entity accepted it ({@code job} is its view after
     * the report): the outcome, and the run time of a success.
     */
    public void attemptEnded(Job job) {
        String outcome = switch (job.status()) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case DEAD_LETTERED -> "dead_lettered";
            case CANCELED -> "canceled";
            case QUEUED -> "retried";
            default -> null;
        };
        if (outcome == null) {
            return;
        }
        finished(job, outcome);
        if (job.status() == JobStatus.SUCCEEDED && job.startedAt() != null && job.finishedAt() != null) {
            runTime.withTags("type", job.type(), "config", job.configId()).record(Duration.between(job.startedAt(), job.finishedAt()));
        }
    }

    private void finished(Job job, String outcome) {
        finished.withTags("type", job.type(), "config", job.configId(), "outcome", outcome).increment();
    }

    private static String outcome(JobEvent event) {
        if (event instanceof JobEvent.Succeeded) {
            return "succeeded";
        } else if (event instanceof JobEvent.Failed) {
            return "failed";
        } else if (event instanceof JobEvent.DeadLettered) {
            return "dead_lettered";
        } else if (event instanceof JobEvent.Canceled) {
            return "canceled";
        } else if (event instanceof JobEvent.RetryScheduled) {
            return "retried";
        } else if (event instanceof JobEvent.LeaseReleased) {
            return "released";
        }
        return null;
    }

    /** Registers (once) a gauge read from {@code value} on each scrape, e.g. queue depth per config. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(description).tags(tags).register(registry);
    }

    /** A settable gauge (e.g. busy workers of a config). */
    public AtomicLong settableGauge(String name, String description, String... tags) {
        String key = name + String.join(",", tags);
        return gauges.computeIfAbsent(key, k -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder(name, holder, AtomicLong::get).description(description).tags(tags).register(registry);
            return holder;
        });
    }

    /**
     * Registers (once) the calls a backend has taken, read from its client's own cumulative count on each
     * scrape: with {@code spindle_jobs_finished} it gives the per-job cost of the node's hot path.
     */
    public void backendRequests(String backend, Supplier<Number> count) {
        // Micrometer holds a function counter's state weakly, and the caller's method reference is held by nothing
        // else: without this reference it would be collected and the counter would read 0.
        countSources.add(count);
        FunctionCounter.builder("spindle_backend_requests", count, c -> c.get().doubleValue())
                .description("Requests (round trips) sent to a backend: MongoDB commands, Redis round trips, S3 requests")
                .tags("backend", backend).register(registry);
    }

    /**
     * Registers (once per site) the streams Spindle materialized there, read from {@code count} on each scrape
     * (io.spindle.node.stream.StreamRuns): with {@code spindle_jobs_finished}, the streams materialized per job.
     */
    public void streamMaterializations(String site, Supplier<Number> count) {
        countSources.add(count); // held weakly by Micrometer, as for backendRequests
        FunctionCounter.builder("spindle_stream_materializations", count, c -> c.get().doubleValue())
                .description("Pekko streams Spindle materialized (run), by the place that ran them")
                .tags("site", site).register(registry);
    }

    public Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    public Timer timer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(LATENCY_SLOS).register(registry);
    }

    public DistributionSummary summary(String name, String description, String... tags) {
        return DistributionSummary.builder(name).description(description).tags(tags).register(registry);
    }

    private static final class Id extends ExtensionId<SpindleMetrics> {
        static final Id INSTANCE = new Id();

        @Override
        public SpindleMetrics createExtension(ActorSystem<?> system) {
            return new SpindleMetrics();
        }
    }
}
