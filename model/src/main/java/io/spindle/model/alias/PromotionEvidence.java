package io.spindle.model.alias;

import io.spindle.model.gate.Verdict;

/**
 * Why an alias was moved: the experiment and gate it cites and the gate's verdict at that moment. A forced promotion
 * records the verdict it overrode (possibly none, when no experiment was cited).
 */
public record PromotionEvidence(String experiment, String gate, Verdict verdict, String candidateArm) {}
