package io.spindle.gateway.experiments;

import io.spindle.model.alias.ShadowConfig;
import io.spindle.model.experiment.SourceJob;
import io.spindle.model.job.Job;
import java.util.function.BiConsumer;

/**
 * Hands a live job just created on an alias to its shadow's rolling experiment, which replays it on the candidate at
 * once and takes its outputs when it ends. The caller gets only its live job; the shadow job is the experiment's.
 */
public final class ShadowMirror implements BiConsumer<ShadowConfig, Job> {
    private final ExperimentGateways experiments;

    public ShadowMirror(ExperimentGateways experiments) {
        this.experiments = experiments;
    }

    @Override
    public void accept(ShadowConfig shadow, Job live) {
        experiments.mirror(shadow.experiment(), new SourceJob(live.id(), live.type(), live.configId(), live.configVersion(), live.input(),
                ExperimentSelector.digest(live.input()), null, null, null));
    }
}
