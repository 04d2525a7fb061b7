package io.spindle.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spindle.bridge.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchDirsTest {
    private static final int OTHER_UID = 65534;

    @TempDir
    Path tmp;

    @Test
    void everyLevelOfAScratchDirIsPrivate() throws Exception {
        Path run = tmp.resolve("run");
        Path root = ScratchDirs.root(run.resolve("scratch"));
        Path dir = ScratchDirs.create(run, root, "w", "job/../1", 2);
        assertEquals(root.resolve("job____1.2"), dir);
        assertEquals(Long.toString(ProcessHandle.current().pid()), root.getFileName().toString());
        for (Path p : List.of(run, run.resolve("scratch"), root, dir)) {
            assertEquals("rwx------", mode(p), p.toString());
        }
    }

    @Test
    void aRunDirAnotherUserMadeIsNeverUsed() throws Exception {
        assumeTrue(PrivateFiles.currentUid() == 0, "only root can give a directory to another user");
        Path run = Files.createDirectory(tmp.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(run, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
        assertThrows(AccessDeniedException.class, () -> ScratchDirs.create(run, ScratchDirs.root(run.resolve("scratch")), "w", "j", 1));
        assertFalse(Files.exists(run.resolve("scratch")), "nothing created inside it");
    }

    @Test
    void aSymlinkedScratchBaseIsRefused() throws Exception {
        Path run = Files.createDirectory(tmp.resolve("run"));
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(run.resolve("scratch"), elsewhere);
        assertThrows(AccessDeniedException.class, () -> ScratchDirs.create(run, ScratchDirs.root(run.resolve("scratch")), "w", "j", 1));
    }

    @Test
    void aScratchRootDeletedAfterItsFirstCheckIsMadeAndCheckedAgain() throws Exception {
        Path run = tmp.resolve("run");
        Path root = ScratchDirs.root(run.resolve("scratch"));
        ScratchDirs.create(run, root, "w", "j", 1);
        PrivateFiles.deleteRecursively(run.resolve("scratch"));

        Path dir = ScratchDirs.create(run, root, "w", "j", 2);

        for (Path p : List.of(run.resolve("scratch"), root, dir)) {
            assertEquals("rwx------", mode(p), p.toString());
        }
    }

    @Test
    void aScratchDirAnEarlierRunLeftIsEmptiedWhenItsAttemptStartsAgain() throws Exception {
        Path run = tmp.resolve("run");
        Path root = ScratchDirs.root(run.resolve("scratch"));
        Path dir = ScratchDirs.create(run, root, "w", "j", 1);
        Files.writeString(Files.createDirectory(dir.resolve("out")).resolve("image.png"), "from the killed node");

        assertEquals(dir, ScratchDirs.create(run, root, "w", "j", 1));

        try (var left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
        assertEquals("rwx------", mode(dir));
    }

    /**
     * A released empty dir waits, renamed idle, for its worker's next attempt, which gets it renamed to that attempt's
     * name; another worker never gets it; a dir with something in it is deleted on the executor as before; a worker
     * keeps at most two, and its idle dirs go when it does.
     */
    @Test
    void anEmptyDirReleasedByAWorkerIsItsNextAttemptsDir() throws Exception {
        Path run = tmp.resolve("run");
        Path root = ScratchDirs.root(run.resolve("scratch"));
        List<Runnable> queued = new ArrayList<>();
        Path first = ScratchDirs.create(run, root, "w-reuse", "j1", 1);
        Object inode = Files.readAttributes(first, BasicFileAttributes.class).fileKey();
        ScratchDirs.release(first, "w-reuse", queued::add);
        assertTrue(queued.isEmpty());
        assertFalse(Files.exists(first, LinkOption.NOFOLLOW_LINKS), "the job's dir is gone");
        assertEquals(List.of(".idle-w-reuse"), idle(root, ".idle-w-reuse-").stream().map(n -> n.replaceAll("-\\d+$", "")).toList());

        Path other = ScratchDirs.create(run, root, "w-other", "j2", 1);
        assertNotEquals(inode, Files.readAttributes(other, BasicFileAttributes.class).fileKey(), "another worker's dir is its own");
        Path second = ScratchDirs.create(run, root, "w-reuse", "j3", 1);
        assertEquals(root.resolve("j3.1"), second);
        assertEquals(inode, Files.readAttributes(second, BasicFileAttributes.class).fileKey(), "the released dir, renamed");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(second)));

        Files.writeString(second.resolve("out.json"), "{}");
        ScratchDirs.release(second, "w-reuse", queued::add);
        assertEquals(1, queued.size(), "a dir with something in it is deleted, not kept");
        queued.get(0).run();
        assertFalse(Files.exists(second, LinkOption.NOFOLLOW_LINKS));
        Path third = ScratchDirs.create(run, root, "w-reuse", "j4", 1);
        try (var entries = Files.list(third)) {
            assertEquals(0, entries.count(), "made afresh");
        }

        List<Path> many = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            many.add(ScratchDirs.create(run, root, "w-many", "m" + i, 1));
        }
        many.forEach(dir -> ScratchDirs.release(dir, "w-many", queued::add));
        assertEquals(ScratchDirs.IDLE_PER_WORKER, idle(root, ".idle-w-many-").size());
        ScratchDirs.forget(root, "w-many");
        assertEquals(List.of(), idle(root, ".idle-w-many-"));
    }

    /** The names in {@code root} that begin with {@code prefix}. */
    private static List<String> idle(Path root, String prefix) throws IOException {
        try (var entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }

    @Test
    void anEmptyScratchDirIsDeletedAtOnceAndAnyOtherOnTheExecutor() throws Exception {
        Path run = tmp.resolve("run");
        Path root = ScratchDirs.root(run.resolve("scratch"));
        List<Runnable> queued = new ArrayList<>();
        Path empty = ScratchDirs.create(run, root, "w", "j", 1);
        Path full = ScratchDirs.create(run, root, "w", "j", 2);
        Files.writeString(full.resolve("out.json"), "{}");

        ScratchDirs.deleteLater(empty, queued::add);
        assertFalse(Files.exists(empty, LinkOption.NOFOLLOW_LINKS), "deleted on the calling thread");
        assertTrue(queued.isEmpty());

        ScratchDirs.deleteLater(full, queued::add);
        assertTrue(Files.exists(full.resolve("out.json")), "left to the executor");
        assertEquals(1, queued.size());
        queued.get(0).run();
        assertFalse(Files.exists(full, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void theScratchRootsOfNodesThatAreGoneAreDeletedAtStart() throws Exception {
        Path base = tmp.resolve("run/scratch");
        Path ours = ScratchDirs.create(tmp.resolve("run"), ScratchDirs.root(base), "w", "j", 1);
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Path stale = Files.createDirectories(base.resolve(Long.toString(exited.pid())).resolve("k.1"));

        List<Path> deleted = ScratchDirs.deleteStale(base);

        assertEquals(List.of(stale.getParent()), deleted);
        assertFalse(Files.exists(stale.getParent()));
        assertTrue(Files.exists(ours));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
