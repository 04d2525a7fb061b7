package io.spindle.cli.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The config of a node process that is one member of a multi-node cluster on loopback: a fixed cluster port, the
 * same seed nodes on every member, and a failure detector, split-brain resolver and Redis lease tuned so an
 * unreachable member is noticed within seconds and downed a few seconds later (the defaults take ~20 s).
 */
final class ClusterNodes {
    /** Failure detection: a member is unreachable about this long after its last heartbeat. */
    static final String FAILURE_DETECTOR = """
            pekko.cluster.failure-detector {
              heartbeat-interval = 500ms
              acceptable-heartbeat-pause = 2s
              expected-response-after = 500ms
            }
            pekko.cluster.split-brain-resolver {
              stable-after = 3s
              lease-majority.acquire-lease-delay-for-minority = 1s
            }
            # The lease of a killed holder frees itself within seconds.
            spindle.cluster.lease { heartbeat-timeout = 5s, heartbeat-interval = 1s }
            pekko.cluster.retry-unsuccessful-join-after = 2s
            pekko.cluster.seed-node-timeout = 3s
            """;

    private ClusterNodes() {}

    /** {@code pekko://spindle@127.0.0.1:port} for each port. */
    static List<String> seeds(int... ports) {
        return java.util.Arrays.stream(ports).mapToObj(p -> "pekko://spindle@127.0.0.1:" + p).toList();
    }

    /** Writes the config of node {@code name} listening on cluster port {@code clusterPort}, joining {@code seeds}. */
    static Path config(Backends backends, String name, int clusterPort, List<String> seeds, List<String> roles, String hosted,
                       String extra) {
        String seedList = seeds.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
        String roleList = roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "));
        return backends.nodeConfig(name, Backends.freePort(), hosted, """
                pekko.remote.artery.canonical.port = %d
                pekko.cluster.seed-nodes = [ %s ]
                spindle.node.roles = [ %s ]
                %s
                %s
                """.formatted(clusterPort, seedList, roleList, FAILURE_DETECTOR, extra));
    }
}
