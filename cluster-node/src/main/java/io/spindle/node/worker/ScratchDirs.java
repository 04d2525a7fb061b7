package io.spindle.node.worker;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The per-attempt scratch dirs workers write their outputs to: private to this user, fresh per attempt. */
final class ScratchDirs {
    private static final Logger log = LoggerFactory.getLogger(ScratchDirs.class);
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    // A job id is a UUID in practice; anything else is made harmless before it becomes a path segment.
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_-]");

    private ScratchDirs() {}

    /** Creates {@code <root>/<job id>.<attempt>}, emptying whatever an earlier run left there. */
    static Path create(Path root, String jobId, int attempt) throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root, PRIVATE_DIR);
        }
        Path dir = root.resolve(UNSAFE.matcher(jobId).replaceAll("_") + "." + attempt);
        deleteRecursively(dir);
        return Files.createDirectory(dir, PRIVATE_DIR);
    }

    /** Deletes {@code dir} (nullable) on {@code executor}, logging a failure. */
    static void deleteLater(Path dir, Executor executor) {
        if (dir == null) {
            return;
        }
        executor.execute(() -> {
            try {
                deleteRecursively(dir);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot delete scratch dir {}: {}", dir, e.toString());
            }
        });
    }

    /** Deletes {@code dir} and everything in it without following symlinks; a missing dir is fine. */
    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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
}
