package io.spindle.gateway.jobs;

import java.util.Map;

/** Body of {@code GET /jobs/counts}: how many jobs the read model holds in each status (every status named), and their sum. */
public record JobCountsView(Map<String, Long> counts, long total) {}
