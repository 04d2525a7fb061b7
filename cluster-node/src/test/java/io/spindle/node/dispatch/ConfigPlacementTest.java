package io.spindle.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.config.InMemoryConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.node.config.PlacementSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Which registered configs a node hosts without a restart, and how it follows activation changes. */
class ConfigPlacementTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final PlacementSettings SETTINGS = new PlacementSettings(true, List.of("control-node"), POLL, 2);

    private final InMemoryConfigRegistry registry = new InMemoryConfigRegistry();
    private final TestProbe<NodeDispatchers.Command> dispatchers = testKit.createTestProbe();
    private final LinkedBlockingQueue<Set<String>> published = new LinkedBlockingQueue<>();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static ModelConfig config(String id, String backend, String preferredNode) {
        return new ModelConfig(id, id, 1, List.of("audio.tts"), backend, "tts-1-hd", null, preferredNode, true, Instant.now());
    }

    private void start(Set<String> fromNodeFile) {
        testKit.spawn(ConfigPlacement.create("node-a", fromNodeFile, SETTINGS, registry, dispatchers.ref(),
                backend -> !backend.equals("flite"), ids -> {
                    published.add(ids);
                    return CompletableFuture.completedFuture(Done.getInstance());
                }));
    }

    private Set<String> nextPublished() throws InterruptedException {
        Set<String> ids = published.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (ids == null) {
            throw new AssertionError("nothing was published");
        }
        return ids;
    }

    @Test
    void hostsTheActiveBuiltinConfigsThatNameTheNodeAndFollowsTheirActivation() throws Exception {
        registry.createConfig(config("tts-mine", "openai", "node-a"));
        registry.createConfig(config("tts-alias", "espeak", "control-node"));
        registry.createConfig(config("tts-other-node", "openai", "node-b"));
        registry.createConfig(config("tts-custom-backend", "vllm", "node-a"));
        registry.createConfig(config("tts-missing-engine", "flite", "node-a"));
        registry.createConfig(config("echo", "openai", "node-a"));
        start(Set.of("echo"));

        NodeDispatchers.Host first = dispatchers.expectMessageClass(NodeDispatchers.Host.class, WAIT);
        NodeDispatchers.Host second = dispatchers.expectMessageClass(NodeDispatchers.Host.class, WAIT);
        assertEquals(Set.of("tts-mine", "tts-alias"), Set.of(first.config().configId(), second.config().configId()));
        assertEquals(2, first.config().concurrency());
        List<String> argv = first.config().worker().argv();
        assertEquals("io.spindle.bridge.runtime.RuntimeWorker", argv.get(argv.size() - 2));
        assertEquals(Set.of("echo", "tts-mine", "tts-alias"), nextPublished(), "the node file's configs stay published");
        dispatchers.expectNoMessage(POLL.multipliedBy(3));

        registry.setConfigActive("tts-mine", false);
        assertEquals("tts-mine", dispatchers.expectMessageClass(NodeDispatchers.Unhost.class, WAIT).configId());
        assertEquals(Set.of("echo", "tts-alias"), nextPublished());

        registry.setConfigActive("tts-mine", true);
        assertEquals("tts-mine", dispatchers.expectMessageClass(NodeDispatchers.Host.class, WAIT).config().configId());
        assertTrue(nextPublished().contains("tts-mine"));
    }

    @Test
    void aConfigMovedToAnotherBackendIsHostedAgainOnIt() throws Exception {
        registry.createConfig(config("moving", "openai", "node-a"));
        start(Set.of());
        assertEquals("moving", dispatchers.expectMessageClass(NodeDispatchers.Host.class, WAIT).config().configId());

        ModelConfig current = registry.config("moving").toCompletableFuture().get().orElseThrow();
        registry.saveConfigVersion(current.nextVersion(config("moving", "espeak", "node-a"), Instant.now()));

        assertEquals("moving", dispatchers.expectMessageClass(NodeDispatchers.Unhost.class, WAIT).configId());
        List<String> argv = dispatchers.expectMessageClass(NodeDispatchers.Host.class, WAIT).config().worker().argv();
        assertEquals("espeak", argv.get(argv.size() - 1));
    }
}
