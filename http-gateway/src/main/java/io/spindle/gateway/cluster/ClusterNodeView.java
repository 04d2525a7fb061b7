package io.spindle.gateway.cluster;

import java.time.Instant;
import java.util.List;

/** One member in {@code GET /cluster/nodes}; name, up-since and configs come from the node's published placement. */
public record ClusterNodeView(
        String address,
        String nodeName,
        List<String> roles,
        String status,
        Instant upSince,
        boolean reachable,
        boolean self,
        List<String> hostedConfigs) {}
