package io.spindle.bridge.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    /** The uid of "nobody" on Debian and most Linux systems: an owner that is not us. */
    static final int OTHER_UID = 65534;

    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreatedWithItsParentsPrivate() throws Exception {
        Path dir = PrivateFiles.directory(tmp.resolve("a/b"));
        assertEquals("rwx------", mode(dir));
        assertEquals("rwx------", mode(tmp.resolve("a")));
    }

    @Test
    void anOpenDirectoryOfOursLosesGroupAndOthersRights() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("old"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        PrivateFiles.directory(dir);
        assertEquals("rwx------", mode(dir));
    }

    @Test
    void aSymlinkIsNeverUsedAsADirectory() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("target"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        assertThrows(AccessDeniedException.class, () -> PrivateFiles.directory(link));
    }

    @Test
    void aDirectoryAnotherUserMadeIsRefused() throws Exception {
        assumeTrue(PrivateFiles.currentUid() == 0, "only root can give a directory to another user");
        Path dir = Files.createDirectory(tmp.resolve("theirs"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(dir, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> PrivateFiles.directory(dir));
        assertTrue(e.getMessage().contains("not by this user"), e.getMessage());
        assertFalse(PrivateFiles.ownedByCurrentUser(dir));
    }

    @Test
    void aSharedDirectoryLikeTmpIsNeverMadePrivate() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        assertThrows(AccessDeniedException.class, () -> PrivateFiles.directory(shared));
        assertEquals("rwxrwxrwx", mode(shared), "left as it was");
    }

    @Test
    void aFileIsCreated0600AndAnExistingOneTightened() throws Exception {
        assertEquals("rw-------", mode(PrivateFiles.file(tmp.resolve("new"))));
        Path old = Files.writeString(tmp.resolve("old"), "x");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        PrivateFiles.file(old);
        assertEquals("rw-------", mode(old));
        assertEquals("x", Files.readString(old));
    }

    @Test
    void writeReplacesAFileWithAPrivateOne() throws Exception {
        Path file = Files.writeString(tmp.resolve("secret"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        PrivateFiles.write(file, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(file));
        assertEquals("rw-------", mode(file));
        try (var left = Files.list(tmp)) {
            assertEquals(1, left.count(), "no temp file left behind");
        }
    }

    @Test
    void aFreshDirectoryIsNewEachTime() throws Exception {
        Path a = PrivateFiles.freshDirectory(tmp, "p-");
        Path b = PrivateFiles.freshDirectory(tmp, "p-");
        assertNotEquals(a, b);
        assertEquals("rwx------", mode(a));
        assertTrue(a.getFileName().toString().startsWith("p-"));
    }

    @Test
    void tightenTakesOthersRightsOffEverythingUnderARoot() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data/redis"));
        Path file = Files.writeString(dir.resolve("appendonly.aof"), "x");
        Files.setPosixFilePermissions(tmp.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(3, PrivateFiles.tighten(tmp.resolve("data")));
        assertEquals("rwx------", mode(tmp.resolve("data")));
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(file));
        assertEquals(0, PrivateFiles.tighten(tmp.resolve("data")), "nothing left to change");
        assertFalse(PrivateFiles.openToOthers(file));
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
