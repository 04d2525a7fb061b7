package io.spindle.node.config;

import io.spindle.node.config.WorkerLaunch;

/** One ModelConfig this node hosts: the worker processes it runs for it and how many at once. */
public record HostedConfig(String configId, int concurrency, WorkerLaunch worker) {}
