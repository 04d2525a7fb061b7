package io.spindle.gateway.cluster;

import java.util.List;

/** Body of {@code GET /cluster/configs}. */
public record ClusterConfigList(List<ClusterConfigView> configs) {}
