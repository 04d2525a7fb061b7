package io.spindle.node.dev;

import io.spindle.bridge.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A credential of an embedded backend, generated on first start and kept in a 0600 file of the data dir so a
 * restarted node (and its still-running leftovers, such as the redis-server of a killed node) use the same one.
 * An operator reads it from there, e.g. {@code redis-cli -a "$(cat ~/.spindle/secrets/redis-password)"}.
 */
public final class GeneratedSecret {
    /** 32 random bytes, written as 64 hex digits: safe in URIs, config files and S3 keys. */
    private static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedSecret() {}

    /** The secret in {@code file}, generated and written there (0600, its directory 0700) if absent or empty. */
    public static String load(Path file) {
        try {
            PrivateFiles.directory(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                String stored = Files.readString(PrivateFiles.file(file), StandardCharsets.UTF_8).trim();
                if (!stored.isEmpty()) {
                    return stored;
                }
            }
            byte[] bytes = new byte[BYTES];
            RANDOM.nextBytes(bytes);
            String secret = HexFormat.of().formatHex(bytes);
            PrivateFiles.write(file, secret.getBytes(StandardCharsets.UTF_8));
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the generated secret " + file, e);
        }
    }

    /** A new random secret, not stored (tests). */
    public static String random() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
