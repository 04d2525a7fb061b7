package io.spindle.node.stream;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Props;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.stream.ActorMaterializerSettings;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.ClosedShape;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.MaterializationContext;
import org.apache.pekko.stream.Materializer;
import scala.concurrent.ExecutionContextExecutor;
import scala.concurrent.duration.FiniteDuration;

/**
 * The system materializer, counting the streams run through it. Pekko has no hook that counts materializations, and
 * the stages inside a running graph use the real materializer handed to them, so only top-level runs — the
 * expensive ones: an interpreter actor and its fused graph each — are counted, which is what a per-job budget needs.
 */
final class CountingMaterializer extends Materializer {
    private final Materializer delegate;
    private final LongAdder count;

    CountingMaterializer(Materializer delegate, LongAdder count) {
        this.delegate = delegate;
        this.count = count;
    }

    @Override
    public <Mat> Mat materialize(Graph<ClosedShape, Mat> runnable) {
        count.increment();
        return delegate.materialize(runnable);
    }

    @Override
    public <Mat> Mat materialize(Graph<ClosedShape, Mat> runnable, Attributes defaultAttributes) {
        count.increment();
        return delegate.materialize(runnable, defaultAttributes);
    }

    @Override
    public Materializer withNamePrefix(String name) {
        return new CountingMaterializer(delegate.withNamePrefix(name), count);
    }

    @Override
    public ExecutionContextExecutor executionContext() {
        return delegate.executionContext();
    }

    @Override
    public Cancellable scheduleOnce(FiniteDuration delay, Runnable task) {
        return delegate.scheduleOnce(delay, task);
    }

    @Override
    public Cancellable scheduleWithFixedDelay(FiniteDuration initialDelay, FiniteDuration delay, Runnable task) {
        return delegate.scheduleWithFixedDelay(initialDelay, delay, task);
    }

    @Override
    public Cancellable scheduleAtFixedRate(FiniteDuration initialDelay, FiniteDuration interval, Runnable task) {
        return delegate.scheduleAtFixedRate(initialDelay, interval, task);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Cancellable schedulePeriodically(FiniteDuration initialDelay, FiniteDuration interval, Runnable task) {
        return delegate.schedulePeriodically(initialDelay, interval, task);
    }

    @Override
    public void shutdown() {
        // The system materializer belongs to the actor system, which shuts it down.
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public ActorSystem system() {
        return delegate.system();
    }

    @Override
    public LoggingAdapter logger() {
        return delegate.logger();
    }

    @Override
    public ActorRef supervisor() {
        return delegate.supervisor();
    }

    @Override
    public ActorRef actorOf(MaterializationContext context, Props props) {
        return delegate.actorOf(context, props);
    }

    @Override
    @SuppressWarnings("deprecation")
    public ActorMaterializerSettings settings() {
        return delegate.settings();
    }
}
