package io.spindle.node.placement;

import io.spindle.node.worker.WorkerCommand;

/** One ModelConfig this node hosts: the worker processes it runs for it and how many at once. */
public record HostedConfig(String configId, int concurrency, WorkerCommand worker) {}
