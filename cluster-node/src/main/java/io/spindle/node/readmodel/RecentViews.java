package io.spindle.node.readmodel;

import io.spindle.model.job.Job;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The views one projection run wrote last, so that the next batch folds a job's new events onto them instead of
 * reading them back from the store: a job's events usually arrive in two or three batches, and each read was a
 * query and a decode of every view in it. Only views whose write went through are kept (the store holds them or a
 * newer one), the least recently used view goes first, and a run starts empty. A kept view is still right to fold
 * onto when another node's projection wrote the job since: every projection reads every job event, so the next event
 * of a kept view is the one after it, and the other node's view holds the same events (the store keeps the newer).
 */
final class RecentViews {
    private final Map<String, Job> views;

    /** {@code capacity} as validated by {@link JobProjectionSettings} (0 keeps nothing). */
    RecentViews(int capacity) {
        this.views = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The kept views among {@code ids}, by job id. */
    synchronized Map<String, Job> known(Collection<String> ids) {
        Map<String, Job> known = new LinkedHashMap<>();
        for (String id : ids) {
            Job view = views.get(id);
            if (view != null) {
                known.put(id, view);
            }
        }
        return known;
    }

    /** Keeps views the store now holds. */
    synchronized void remember(Collection<Job> written) {
        written.forEach(view -> views.put(view.id(), view));
    }

    /** Drops these jobs' views: the store may not hold them as kept. */
    synchronized void forget(Collection<String> ids) {
        ids.forEach(views::remove);
    }
}
