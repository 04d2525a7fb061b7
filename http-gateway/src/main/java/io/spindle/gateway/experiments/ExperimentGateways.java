package io.spindle.gateway.experiments;

import io.spindle.model.experiment.Experiment;
import io.spindle.model.experiment.ExperimentSpec;
import io.spindle.model.experiment.Scorer;
import io.spindle.model.experiment.SourceJob;
import io.spindle.model.gate.Gate;
import io.spindle.model.error.SpindleException;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.experiment.ExperimentEntity;
import io.spindle.node.experiment.ExperimentReply;
import io.spindle.node.experiment.GateEntity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/** The gateway's asks to sharded ExperimentEntities and GateEntities. */
public final class ExperimentGateways {
    private final ActorSystem<?> system;
    private final Duration askTimeout;

    public ExperimentGateways(ActorSystem<?> system, Duration askTimeout) {
        this.system = system;
        this.askTimeout = askTimeout;
    }

    public CompletionStage<Experiment> create(ExperimentSpec spec, List<SourceJob> sources) {
        return ask(spec.id(), r -> new ExperimentEntity.Create(spec, sources, r));
    }

    public CompletionStage<Experiment> get(String id) {
        return ask(id, ExperimentEntity.Get::new);
    }

    public CompletionStage<Experiment> rescore(String id, List<Scorer> scorers) {
        return ask(id, r -> new ExperimentEntity.Rescore(scorers, r));
    }

    /** Hands a live job to a shadow's experiment; nobody waits for it (a lost one is one pair fewer). */
    public void mirror(String id, SourceJob source) {
        ExperimentEntity.entityRef(system, id).tell(new ExperimentEntity.Mirror(source, system.ignoreRef()));
    }

    public CompletionStage<Experiment> stopShadow(String id, String reason) {
        return ask(id, r -> new ExperimentEntity.StopShadow(reason, r));
    }

    public CompletionStage<Gate> saveGate(Gate gate) {
        return gate(gate.name(), r -> new GateEntity.Save(gate, r));
    }

    public CompletionStage<Gate> gate(String name) {
        return gate(name, GateEntity.Get::new);
    }

    private CompletionStage<Gate> gate(String name, Function<ActorRef<GateEntity.Reply>, GateEntity.Command> command) {
        return PekkoStages.direct(GateEntity.entityRef(system, name).ask(command::apply, askTimeout)).thenApply(reply -> {
            if (reply.error() != null) {
                throw new SpindleException(reply.error());
            }
            return reply.gate();
        });
    }

    private CompletionStage<Experiment> ask(String id, Function<ActorRef<ExperimentReply>, ExperimentEntity.Command> command) {
        return PekkoStages.direct(ExperimentEntity.entityRef(system, id).ask(command::apply, askTimeout)).thenApply(ExperimentReply::orThrow);
    }
}
