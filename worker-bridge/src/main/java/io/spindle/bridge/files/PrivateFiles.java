package io.spindle.bridge.files;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories only this OS user can reach: directories 0700, files 0600. Java cannot set the process's
 * umask, so every private path is created with explicit permissions; and a path that already exists is used only
 * if this user owns it and it is no symlink, so no other local user can plant a directory or file for the node to
 * reuse. On a file system without POSIX permissions (Windows) the mode checks are skipped.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> DIR_ATTRIBUTE = PosixFilePermissions.asFileAttribute(DIR_MODE);
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE = PosixFilePermissions.asFileAttribute(FILE_MODE);
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    /** The sticky bit of a Unix mode: set on shared directories such as /tmp, which must never be made private. */
    private static final int STICKY = 01000;

    private PrivateFiles() {}

    /**
     * {@code dir}, created 0700 (with any missing parents) if absent. An existing one must be a real directory owned
     * by this user; group and others rights are taken off it (a data dir made by an older version was 0755).
     *
     * @throws AccessDeniedException when it is a symlink, not a directory, owned by another user, or shared (sticky)
     */
    public static Path directory(Path dir) throws IOException {
        if (!Files.exists(dir, NOFOLLOW)) {
            if (posix(dir)) {
                Files.createDirectories(dir, DIR_ATTRIBUTE);
            } else {
                Files.createDirectories(dir);
            }
        }
        if (!Files.isDirectory(dir, NOFOLLOW)) {
            throw new AccessDeniedException(dir.toString(), null, "not a directory (or a symlink): refusing to use it");
        }
        requireOwned(dir);
        if (posix(dir) && (((Number) Files.getAttribute(dir, "unix:mode", NOFOLLOW)).intValue() & STICKY) != 0) {
            throw new AccessDeniedException(dir.toString(), null, "a shared directory (sticky bit, like /tmp): use a directory of its own");
        }
        tightenMode(dir);
        return dir;
    }

    /** A new, empty 0700 directory under {@code parent} whose name starts with {@code prefix}: never one that existed. */
    public static Path freshDirectory(Path parent, String prefix) throws IOException {
        return posix(parent) ? Files.createTempDirectory(parent, prefix, DIR_ATTRIBUTE) : Files.createTempDirectory(parent, prefix);
    }

    /**
     * {@code file}, created empty with mode 0600 if absent; an existing one must be a regular file owned by this user
     * and loses any group and others rights. Create a file this way before a library opens it, so it never exists with wider rights.
     */
    public static Path file(Path file) throws IOException {
        if (!Files.exists(file, NOFOLLOW)) {
            try {
                if (posix(file)) {
                    Files.createFile(file, FILE_ATTRIBUTE);
                } else {
                    Files.createFile(file);
                }
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // created meanwhile: checked below like any existing file
            }
        }
        if (!Files.isRegularFile(file, NOFOLLOW)) {
            throw new AccessDeniedException(file.toString(), null, "not a regular file (or a symlink): refusing to use it");
        }
        requireOwned(file);
        tightenMode(file);
        return file;
    }

    /** Replaces {@code file} atomically with {@code bytes}, never readable by others in between (a 0600 temp file, moved). */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = posix(dir) ? Files.createTempFile(dir, file.getFileName().toString(), ".tmp", FILE_ATTRIBUTE)
                : Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(temp, bytes);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Takes group and others rights off everything under {@code root} this user owns (so directories end 0700, files
     * 0600 at most), without following symlinks: files an older version or a library wrote with the default umask.
     * Returns how many it changed.
     */
    public static int tighten(Path root) throws IOException {
        if (!posix(root) || !Files.isDirectory(root, NOFOLLOW)) {
            return 0;
        }
        int[] changed = {0};
        long uid = currentUid();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                tightenOwned(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    tightenOwned(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }

            private void tightenOwned(Path p) throws IOException {
                if (ownerUid(p) == uid && tightenMode(p)) {
                    changed[0]++;
                }
            }
        });
        return changed[0];
    }

    /**
     * Takes group and others rights off {@code path} alone if this user owns it (a missing path or a symlink is left
     * alone); true when it changed.
     */
    public static boolean tightenOne(Path path) throws IOException {
        try {
            return posix(path) && !Files.isSymbolicLink(path) && ownerUid(path) == currentUid() && tightenMode(path);
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** True when {@code path} (not followed if a symlink) belongs to this user. */
    public static boolean ownedByCurrentUser(Path path) throws IOException {
        return !posix(path) || ownerUid(path) == currentUid();
    }

    /** True when group or others have any right on {@code path}. */
    public static boolean openToOthers(Path path) throws IOException {
        if (!posix(path)) {
            return false;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, NOFOLLOW);
        return mode.stream().anyMatch(OPEN_TO_OTHERS::contains);
    }

    /** Deletes {@code dir} and everything in it without following symlinks; a missing dir is fine. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir, NOFOLLOW)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** This process's user id. */
    public static long currentUid() {
        return ProcessUid.VALUE;
    }

    private static void requireOwned(Path path) throws IOException {
        if (posix(path) && ownerUid(path) != currentUid()) {
            throw new AccessDeniedException(path.toString(), null, "owned by " + Files.getOwner(path, NOFOLLOW).getName()
                    + ", not by this user: refusing to use a path another user made");
        }
    }

    /** Takes every group and others right off {@code path} (keeping the owner's); true when it changed. */
    private static boolean tightenMode(Path path) throws IOException {
        if (!posix(path)) {
            return false;
        }
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        mode.addAll(Files.getPosixFilePermissions(path, NOFOLLOW));
        if (!mode.removeAll(OPEN_TO_OTHERS)) {
            return false;
        }
        Files.setPosixFilePermissions(path, mode);
        return true;
    }

    private static long ownerUid(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:uid", NOFOLLOW)).longValue();
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    /** A process's user id never changes; read once, on first use (only on POSIX systems). */
    private static final class ProcessUid {
        static final long VALUE = new UnixSystem().getUid();
    }
}
