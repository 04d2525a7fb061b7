package io.spindle.node.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The default run dir (worker sockets, scratch dirs) of a node whose {@code spindle.node.run-dir} is empty: inside its
 * data dir, so two nodes on one machine never share one (each has its own data dir), or, when that path is too long for
 * the worker sockets under it, a dir in /tmp named after the user and a hash of the data dir.
 */
public final class RunDirs {
    /** Leaves room under it for a worker socket's name (a hash of the config id at worst) within the 107 bytes of a socket path. */
    static final int MAX_BYTES = 80;
    private static final String IN_DATA_DIR = "run";
    private static final int HASH_HEX = 12;

    private RunDirs() {}

    public static Path resolve(String configured, Path dataDir, String user) {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        Path inDataDir = dataDir.toAbsolutePath().normalize().resolve(IN_DATA_DIR);
        if (inDataDir.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return inDataDir;
        }
        return Path.of("/tmp", "spindle-" + user + "-" + hash(dataDir.toAbsolutePath().normalize().toString()));
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
