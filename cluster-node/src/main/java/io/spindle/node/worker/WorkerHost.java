package io.spindle.node.worker;

import io.spindle.model.config.ConfigRegistry;
import io.spindle.node.artifact.ArtifactUploader;
import io.spindle.node.artifact.InputFetcher;
import io.spindle.node.config.NodeSettings;
import io.spindle.node.job.JobSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What a node gives every worker process it runs: its name (lease holder and artifact lineage), its run dir
 * (sockets and scratch dirs), where outputs go, where input artifacts come from, where config params come from,
 * and the worker settings.
 *
 * @param askTimeout timeout of each ask to a JobEntity
 */
public record WorkerHost(String node, Path runDir, ArtifactUploader uploader, InputFetcher inputs, RunConfigs runConfigs,
                         WorkerSettings settings, Duration askTimeout) {

    /** The host of this node: name and run dir from {@code spindle.node}, settings from the system's config. */
    public static WorkerHost create(ActorSystem<?> system, NodeSettings node, ArtifactUploader uploader, InputFetcher inputs,
                                    ConfigRegistry configs) {
        return new WorkerHost(node.name(), node.runDir(), uploader, inputs, new RunConfigs(configs),
                WorkerSettings.fromConfig(system.settings().config()), JobSettings.create(system).askTimeout());
    }

    public WorkerHost withSettings(WorkerSettings value) {
        return new WorkerHost(node, runDir, uploader, inputs, runConfigs, value, askTimeout);
    }

    /** Where the scratch dirs of jobs run by this node process's workers live (see {@link ScratchDirs}). */
    public Path scratchRoot() {
        return ScratchDirs.root(runDir.resolve(settings.scratchDir()));
    }

    /** Deletes the scratch dirs node processes that are gone left in this run dir (killed before they could). */
    public List<Path> deleteStaleScratch() {
        return ScratchDirs.deleteStale(runDir.resolve(settings.scratchDir()));
    }
}
