package io.spindle.gateway.experiments;

import io.spindle.model.gate.GateResult;

/** {@code POST /experiments/{id}/gate/{name}}: the gate's verdict for {@code candidate} against {@code reference}. */
public record GateEvaluationView(String experiment, String reference, String candidate, String experimentStatus, GateResult result) {}
