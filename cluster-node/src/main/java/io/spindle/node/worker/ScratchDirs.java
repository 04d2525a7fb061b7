package io.spindle.node.worker;

import io.spindle.bridge.files.PrivateFiles;
import io.spindle.bridge.files.StaleDirs;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-attempt scratch dirs workers write their outputs to: {@code <run dir>/<scratch>/<node pid>/<job id>.<attempt>},
 * private to this user (every level checked: owned by this user, no rights for others), fresh per attempt. The node's
 * pid in the path lets the next start delete what a node killed with SIGKILL left behind, without touching the dirs
 * of another live node sharing the run dir.
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

    private ScratchDirs() {}

    /** This process's scratch root under {@code base} ({@code <run dir>/<scratch>}). */
    static Path root(Path base) {
        return base.resolve(StaleDirs.nameFor(NO_PREFIX));
    }

    /**
     * Creates {@code <root>/<job id>.<attempt>}, emptying whatever an earlier run left there. The levels from the run
     * dir down to the root are checked on the first call for a root (and again if the root has gone): once they are
     * this user's and 0700, no other user can change them, so checking them again for every job would only cost
     * a dozen file system calls per job.
     */
    static Path create(Path runDir, Path root, String jobId, int attempt) throws IOException {
        Path dir = root.resolve(UNSAFE.matcher(jobId).replaceAll("_") + "." + attempt);
        if (!VERIFIED_ROOTS.contains(root)) {
            verify(runDir, root);
        }
        try {
            return createEmpty(dir);
        } catch (NoSuchFileException rootGone) {
            VERIFIED_ROOTS.remove(root);
            verify(runDir, root);
            return createEmpty(dir);
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
