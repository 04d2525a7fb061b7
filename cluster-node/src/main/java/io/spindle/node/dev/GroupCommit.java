package io.spindle.node.dev;

import org.h2.mvstore.MVStore;

/**
 * Makes the changes of many writers durable with few commits: a commit stores every change made before it
 * began, so a writer that finds a commit has begun and completed since its change returns without one of its
 * own. N concurrent writers cost one or two commits instead of N.
 */
final class GroupCommit {
    private final MVStore store;
    private final Object lock = new Object();
    /** Commits begun by {@link #awaitDurable}; only written under {@link #lock}, under which they also run. */
    private volatile long begun;

    GroupCommit(MVStore store) {
        this.store = store;
    }

    /**
     * Returns once every change the calling thread made before the call is stored. It never skips a commit
     * because the store reports no unsaved changes: a store already in progress (another thread's, or H2's
     * background writer) may hold the change without having written it yet, and {@code commit()} waits for it.
     */
    void awaitDurable() {
        long begunBefore = begun;
        synchronized (lock) {
            if (begun > begunBefore) {
                return;
            }
            begun = begunBefore + 1;
            store.commit();
        }
    }
}
