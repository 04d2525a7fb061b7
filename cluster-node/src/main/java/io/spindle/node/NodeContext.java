package io.spindle.node;

import com.typesafe.config.Config;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.store.ReadStore;
import io.spindle.node.artifact.ArtifactStore;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What a {@link NodeService} may use of a started node: its actor system, its resolved configuration and its
 * backends. Deliberately not the whole {@link SpindleNode}, so a service cannot start or stop node parts.
 *
 * @param config the complete configuration the node runs with (embedded backends' addresses filled in)
 */
public record NodeContext(ActorSystem<?> system, Config config, ReadStore readStore, JobQueue queue,
                          ArtifactStore artifactStore) {}
