package io.spindle.gateway.cluster;

import java.util.List;

/** One hosted config in {@code GET /cluster/configs}, with the names of the nodes hosting it. */
public record ClusterConfigView(String configId, List<String> nodes) {}
