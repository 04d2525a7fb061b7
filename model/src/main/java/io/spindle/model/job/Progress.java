package io.spindle.model.job;

import java.time.Instant;

/** The last progress a worker reported for a running job; never journaled. */
public record Progress(double percent, String message, Instant at) {}
