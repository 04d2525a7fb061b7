package io.spindle.node.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * Seed node addresses from what a user types: {@code HOST:PORT} (the other node's cluster host and
 * {@code pekko.remote.artery.canonical.port}) becomes {@code pekko://spindle@HOST:PORT}.
 */
public final class SeedNodes {
    /** The actor system name every Spindle node uses; nodes with different names never form one cluster. */
    public static final String SYSTEM_NAME = "spindle";
    /** Where Pekko reads the seed nodes. */
    public static final String CONFIG_PATH = "pekko.cluster.seed-nodes";
    private static final String PROTOCOL = "pekko";

    private SeedNodes() {}

    /** @throws IllegalArgumentException when {@code hostPort} is not {@code HOST:PORT} with a port of 1 to 65535 */
    public static String address(String hostPort) {
        String value = hostPort.strip();
        try {
            URI uri = new URI(PROTOCOL + "://" + SYSTEM_NAME + "@" + value);
            if (uri.getHost() == null || uri.getPort() < 1 || uri.getPath() != null && !uri.getPath().isEmpty()) {
                throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT, e.g. 10.0.0.5:25520");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT, e.g. 10.0.0.5:25520", e);
        }
    }

    public static List<String> addresses(List<String> hostPorts) {
        return hostPorts.stream().map(SeedNodes::address).toList();
    }
}
