package io.spindle.node.worker;

import io.spindle.bridge.files.PrivateFiles;
import io.spindle.bridge.files.StaleDirs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-attempt scratch dirs workers write their outputs to: {@code <run dir>/<scratch>/<node pid>/<job id>.<attempt>},
 * private to this user (every level checked: owned by this user, no rights for others), empty at the start of each
 * attempt. The node's pid in the path lets the next start delete what a node killed with SIGKILL left behind, without
 * touching the dirs of another live node sharing the run dir.
 *
 * <p>An attempt that leaves its dir empty (most write nothing, or their outputs were moved out) {@link #release releases}
 * it to its worker: renamed {@code <root>/.idle-<worker>-<n>} (a job's dir never begins with a dot), it becomes the
 * worker's next attempt's dir by another rename ({@link #create}). Two renames and one read of the dir cost a third of
 * the {@code mkdir}, {@code lstat} and {@code rmdir} they replace (~120 µs a job on this machine's file system). A
 * worker keeps up to {@link #IDLE_PER_WORKER} (its next job may start before its last one is reported), and a dir is
 * only ever handed back to the worker that emptied it: nothing one worker leaves can reach another's jobs.
 */
final class ScratchDirs {
    private static final Logger log = LoggerFactory.getLogger(ScratchDirs.class);
    /** Deleting a scratch dir a stopped worker may still be writing into: tries, and the pause between them. */
    private static final int DELETE_TRIES = 10;
    private static final Duration DELETE_RETRY_PAUSE = Duration.ofMillis(300);
    // A job id is a UUID in practice; anything else is made harmless before it becomes a path segment.
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_-]");
    /** The per-process directories have no prefix: their name is the pid. */
    private static final String NO_PREFIX = "";
    private static final FileAttribute<Set<PosixFilePermission>> DIR_ATTRIBUTE = PosixFilePermissions.asFileAttribute(PrivateFiles.DIR_MODE);
    /** Scratch roots whose levels {@link #requirePrivate} checked in this process. */
    private static final Set<Path> VERIFIED_ROOTS = ConcurrentHashMap.newKeySet();
    /** Idle dirs a worker keeps: one for the attempt running, one for the one being reported. */
    static final int IDLE_PER_WORKER = 2;
    private static final String IDLE_PREFIX = ".idle-";
    /** Per root and worker, the empty dirs its attempts released (see {@link #release}). */
    private static final Map<String, Deque<Path>> IDLE = new ConcurrentHashMap<>();
    private static final AtomicLong IDLE_NAMES = new AtomicLong();

    private ScratchDirs() {}

    /** This process's scratch root under {@code base} ({@code <run dir>/<scratch>}). */
    static Path root(Path base) {
        return base.resolve(StaleDirs.nameFor(NO_PREFIX));
    }

    /**
     * Creates {@code <root>/<job id>.<attempt>} for an attempt of {@code worker}, emptying whatever an earlier run
     * left there, or renames the empty dir the worker's last attempt released to that name. The levels from the run
     * dir down to the root are checked on the first call for a root (and again if the root has gone): once they are
     * this user's and 0700, no other user can change them, so checking them again for every job would only cost
     * a dozen file system calls per job.
     */
    static Path create(Path runDir, Path root, String worker, String jobId, int attempt) throws IOException {
        Path dir = root.resolve(UNSAFE.matcher(jobId).replaceAll("_") + "." + attempt);
        if (!VERIFIED_ROOTS.contains(root)) {
            verify(runDir, root);
        }
        Path idle = idleOf(root, worker).pollFirst();
        if (idle != null) {
            try {
                // One rename(2), no lstat of either side first: an empty dir left at the attempt's name is replaced,
                // a full one fails the rename.
                return Files.move(idle, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                // Gone, or the attempt's name is taken by what an earlier run left: the dir is made afresh below.
                deletedIfEmpty(idle);
            }
        }
        try {
            return createEmpty(dir);
        } catch (NoSuchFileException rootGone) {
            VERIFIED_ROOTS.remove(root);
            verify(runDir, root);
            return createEmpty(dir);
        }
    }

    /**
     * The attempt of {@code worker} that had {@code dir} (nullable) is over: an empty dir is kept for the worker's next
     * attempts (up to {@link #IDLE_PER_WORKER}; {@link #create}), anything else deleted as {@link #deleteLater} does.
     */
    static void release(Path dir, String worker, Executor executor) {
        if (dir != null && isEmpty(dir)) {
            Deque<Path> idle = idleOf(dir.getParent(), worker);
            if (idle.size() < IDLE_PER_WORKER) {
                String name = IDLE_PREFIX + UNSAFE.matcher(worker).replaceAll("_") + "-" + IDLE_NAMES.incrementAndGet();
                Path renamed = dir.resolveSibling(name);
                try {
                    idle.addLast(Files.move(dir, renamed, StandardCopyOption.ATOMIC_MOVE));
                    return;
                } catch (IOException | RuntimeException e) {
                    // deleted below
                }
            }
        }
        deleteLater(dir, executor);
    }

    /** {@code worker} is gone: the idle dirs it kept under {@code root} are deleted. */
    static void forget(Path root, String worker) {
        Deque<Path> idle = IDLE.remove(idleKey(root, worker));
        if (idle != null) {
            idle.forEach(ScratchDirs::deletedIfEmpty);
        }
    }

    /** Deletes the scratch roots under {@code base} of node processes that are gone. */
    static List<Path> deleteStale(Path base) {
        return StaleDirs.deleteDead(base, NO_PREFIX);
    }

    /**
     * Deletes {@code dir} (nullable), logging a failure: an empty dir (an attempt that wrote no outputs) at once, one
     * {@code rmdir} on the calling thread; anything else on {@code executor}, which walks and deletes the tree.
     */
    static void deleteLater(Path dir, Executor executor) {
        if (dir == null || deletedIfEmpty(dir)) {
            return;
        }
        executor.execute(() -> {
            // A worker stopped mid-run may still write into the dir until its process is gone ("directory not
            // empty"): try again a few times before giving up on it.
            for (int tries = 1; ; tries++) {
                try {
                    deleteRecursively(dir);
                    return;
                } catch (IOException | RuntimeException e) {
                    if (tries == DELETE_TRIES) {
                        log.warn("cannot delete scratch dir {}: {}", dir, e.toString());
                        return;
                    }
                }
                try {
                    Thread.sleep(DELETE_RETRY_PAUSE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    /** Deletes {@code dir} and everything in it without following symlinks; a missing dir is fine. */
    static void deleteRecursively(Path dir) throws IOException {
        PrivateFiles.deleteRecursively(dir);
    }

    private static void verify(Path runDir, Path root) throws IOException {
        requirePrivate(runDir, root);
        VERIFIED_ROOTS.add(root);
    }

    private static Deque<Path> idleOf(Path root, String worker) {
        return IDLE.computeIfAbsent(idleKey(root, worker), key -> new ConcurrentLinkedDeque<>());
    }

    private static String idleKey(Path root, String worker) {
        return root + "\u0000" + worker;
    }

    /** True if {@code dir} is a directory with nothing in it; false if it holds something or cannot be read. */
    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** True once {@code dir} is gone: it was empty or missing; false when it holds something (or could not go). */
    private static boolean deletedIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException | RuntimeException notEmptyOrNotDeletable) {
            return false;
        }
    }

    /** A new empty dir; what an earlier run of the same attempt left there (a node killed mid-run) is deleted first. */
    private static Path createEmpty(Path dir) throws IOException {
        try {
            return Files.createDirectory(dir, DIR_ATTRIBUTE);
        } catch (FileAlreadyExistsException leftOver) {
            deleteRecursively(dir);
            return Files.createDirectory(dir, DIR_ATTRIBUTE);
        }
    }

    /** Checks (creating what is missing, 0700) every directory from {@code top} down to {@code dir}. */
    private static void requirePrivate(Path top, Path dir) throws IOException {
        Path from = top.toAbsolutePath().normalize();
        Path to = dir.toAbsolutePath().normalize();
        PrivateFiles.directory(from);
        for (Path name : from.relativize(to)) {
            from = from.resolve(name);
            PrivateFiles.directory(from);
        }
    }
}
