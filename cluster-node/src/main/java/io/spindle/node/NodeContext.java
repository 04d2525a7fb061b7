package io.spindle.node;

import com.typesafe.config.Config;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.store.JobViewStore;
import io.spindle.node.artifact.ArtifactStore;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What a {@link NodeService} may use of a started node: its actor system, its resolved configuration and its
 * backends. Deliberately not the whole {@link SpindleNode}, so a service cannot start or stop node parts.
 *
 * @param config the complete configuration the node runs with (embedded backends' addresses filled in)
 * @param jobViews the job views the node's projection keeps up to date
 * @param artifactStore where artifact bytes are; {@code artifactCatalog} has their metadata and lineage
 */
public record NodeContext(ActorSystem<?> system, Config config, JobViewStore jobViews, ConfigRegistry configs,
                          ArtifactCatalog artifactCatalog, JobQueue queue, ArtifactStore artifactStore) {}
