package io.spindle.cli.client;

import io.spindle.model.artifact.Artifact;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Saves an artifact's bytes to a file, streamed (never whole in memory) and verified: the bytes go to a temporary
 * file next to the target while their SHA-256 is computed, and only bytes matching the metadata's digest are
 * moved into place. A mismatch or a dropped connection leaves nothing behind.
 */
public final class ArtifactDownload {
    private static final int BUFFER_BYTES = 64 * 1024;

    /** What was saved: the artifact's metadata, the file, how many bytes, and their (verified) SHA-256. */
    public record Saved(Artifact artifact, Path file, long bytes, String sha256) {}

    private ArtifactDownload() {}

    /** Fetches the artifact's metadata, then its bytes into {@code target}. */
    public static Saved save(SpindleClient client, String artifactId, Path target) {
        return save(client, client.artifact(artifactId).as(Artifact.class), target);
    }

    /** Saves the bytes of {@code artifact} (metadata already fetched) into {@code target}, verified against its sha256. */
    public static Saved save(SpindleClient client, Artifact artifact, Path target) {
        String artifactId = artifact.id();
        Path absolute = target.toAbsolutePath();
        Path tmp = createTemp(absolute);
        boolean kept = false;
        try {
            MessageDigest sha256 = sha256();
            long bytes = copy(client, artifactId, tmp, sha256);
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (artifact.sha256() == null || !actual.equalsIgnoreCase(artifact.sha256())) {
                throw new ChecksumMismatchException(artifactId, artifact.sha256(), actual, bytes);
            }
            moveIntoPlace(tmp, absolute);
            kept = true;
            return new Saved(artifact, target, bytes, actual);
        } finally {
            if (!kept) {
                deleteQuietly(tmp);
            }
        }
    }

    private static long copy(SpindleClient client, String artifactId, Path tmp, MessageDigest sha256) {
        long total = 0;
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = client.artifactBytes(artifactId); OutputStream out = Files.newOutputStream(tmp)) {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw client.unreachable(new IOException("the connection dropped after " + total + " bytes of artifact " + artifactId, e));
                }
                if (n < 0) {
                    return total;
                }
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
                total += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp + ": " + reason(e), e);
        }
    }

    private static Path createTemp(Path target) {
        Path dir = target.getParent();
        try {
            return Files.createTempFile(dir, "." + target.getFileName(), ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + dir + ": " + reason(e), e);
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) {
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
        }
    }

    /** The file-system exceptions' messages are often just the path; say what went wrong instead. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Best effort: the temp file is hidden and named .part, so a leftover is recognisable.
        }
    }
}
