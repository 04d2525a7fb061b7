package io.spindle.gateway.cluster;

import java.util.List;

/** Body of {@code GET /cluster/nodes}. */
public record ClusterNodeList(List<ClusterNodeView> nodes) {}
