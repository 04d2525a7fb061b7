package io.spindle.bridge.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleDirsTest {
    @TempDir
    Path tmp;

    @Test
    void theDirsOfProcessesThatAreGoneAreDeletedAndNoOthers() throws Exception {
        long dead = deadPid();
        Path stale = Files.createDirectories(tmp.resolve("spindle-python-" + dead + "-abc/sub"));
        Path legacy = Files.createDirectory(tmp.resolve("spindle-python-" + dead + "1"));
        Path ours = Files.createDirectory(tmp.resolve(StaleDirs.nameFor("spindle-python-") + "-xyz"));
        Path other = Files.createDirectory(tmp.resolve("spindle-pythonic-" + dead));
        Path oneWithAPidOfAnotherUser = Files.createDirectory(tmp.resolve("spindle-python-" + (dead + 2)));
        boolean root = PrivateFiles.currentUid() == 0;
        if (root) {
            Files.setAttribute(oneWithAPidOfAnotherUser, "unix:uid", PrivateFilesTest.OTHER_UID, LinkOption.NOFOLLOW_LINKS);
        }
        Files.writeString(stale.resolve("spindle_worker.py"), "print()");

        List<Path> deleted = StaleDirs.deleteDead(tmp, "spindle-python-");

        assertFalse(Files.exists(stale.getParent()));
        assertFalse(Files.exists(legacy), "pid " + dead + "1 is no process either (checked below)");
        assertTrue(Files.exists(ours), "this process's own dir stays");
        assertTrue(Files.exists(other), "another prefix stays");
        assertEquals(root, Files.exists(oneWithAPidOfAnotherUser), "another user's dir stays");
        assertTrue(deleted.contains(stale.getParent()));
    }

    @Test
    void aMissingParentIsNothingToClean() {
        assertEquals(List.of(), StaleDirs.deleteDead(tmp.resolve("missing"), "x-"));
    }

    /** A pid (and pid * 10 + 1, pid + 2) that no running process has: that of a process that just exited. */
    private static long deadPid() throws Exception {
        while (true) {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            long pid = p.pid();
            if (ProcessHandle.of(pid).isEmpty() && ProcessHandle.of(pid * 10 + 1).isEmpty() && ProcessHandle.of(pid + 2).isEmpty()) {
                return pid;
            }
        }
    }
}
