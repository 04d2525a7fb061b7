package io.spindle.gateway.aliases;

import io.spindle.model.alias.AliasTarget;
import io.spindle.model.alias.PromotionEvidence;
import java.util.concurrent.CompletionStage;

/**
 * Evaluates the gate a promotion cites on the experiment it cites, for the arm that ran {@code target} (or the named
 * arm): the experiments feature implements it, so aliases need not know how reports are made.
 */
public interface PromotionJudge {
    CompletionStage<PromotionEvidence> judge(String experiment, String gate, String candidateArm, AliasTarget target);
}
