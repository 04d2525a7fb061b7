package io.spindle.node.cluster;

import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.apache.pekko.coordination.lease.scaladsl.Lease;
import scala.Function1;
import scala.Option;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.jdk.javaapi.OptionConverters;
import scala.runtime.BoxedUnit;

/**
 * {@link RedisLease} as Pekko's coordination {@code Lease} (the {@code lease-class} of {@code spindle.cluster.lease}):
 * the split-brain resolver loads leases through the Scala API only, so this adapter speaks it.
 */
public final class RedisCoordinationLease extends Lease {
    private final RedisLease lease;

    public RedisCoordinationLease(LeaseSettings settings, ExtendedActorSystem system) {
        super(settings);
        this.lease = RedisLease.create(settings, system);
    }

    @Override
    public Future<Object> acquire() {
        return FutureConverters.asScala(lease.acquire().thenApply(held -> (Object) held));
    }

    @Override
    public Future<Object> acquire(Function1<Option<Throwable>, BoxedUnit> leaseLostCallback) {
        return FutureConverters.asScala(lease.acquire((Optional<Throwable> lost) -> leaseLostCallback.apply(OptionConverters.toScala(lost)))
                .thenApply(held -> (Object) held));
    }

    @Override
    public Future<Object> release() {
        return FutureConverters.asScala(lease.release().thenApply(released -> (Object) released));
    }

    @Override
    public boolean checkLease() {
        return lease.checkLease();
    }
}
