package io.spindle.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.spindle.model.config.ModelConfig;
import io.spindle.node.config.HostedConfig;
import io.spindle.node.config.NodeSettings;
import io.spindle.node.registry.SeedConfigs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What `spindle dev` runs: every backend embedded, the built-in workers and their demo configs, the options on top. */
class DevConfigTest {

    @Test
    void devRunsEveryBackendEmbeddedAndHostsTheBuiltInWorkersWithMatchingConfigs() {
        Config config = DevConfig.build(Path.of("/srv/dev-data"), 9090, Map.<String, String>of()::get);

        assertTrue(config.getBoolean("spindle.dev.embedded"));
        assertTrue(config.getBoolean("spindle.dev.embed.mongo"));
        assertTrue(config.getBoolean("spindle.dev.embed.redis"));
        assertTrue(config.getBoolean("spindle.dev.embed.s3"));
        assertEquals(9090, config.getInt("spindle.gateway.port"));
        assertEquals("cluster", config.getString("pekko.actor.provider"));
        NodeSettings node = NodeSettings.from(config);
        assertEquals(Path.of("/srv/dev-data"), node.dataDir());
        List<HostedConfig> hosted = node.hostedConfigs();
        assertEquals(List.of("echo-java", "echo-python"), hosted.stream().map(HostedConfig::configId).toList());
        assertTrue(hosted.get(0).worker().argv().contains("io.spindle.bridge.builtin.BuiltinWorkers"));
        assertEquals("python3", hosted.get(1).worker().argv().get(0));
        List<ModelConfig> seeds = SeedConfigs.fromConfig(config, Instant.now());
        assertEquals(List.of("echo-java", "echo-python"), seeds.stream().map(ModelConfig::id).toList());
        seeds.forEach(s -> assertEquals(List.of("cpu.*"), s.jobTypes()));
    }

    @Test
    void aBackendWhoseAddressTheEnvironmentNamesIsNotEmbedded() {
        Config config = DevConfig.build(null, null, Map.of("SPINDLE_REDIS_URI", "redis://10.0.0.5:6379")::get);

        assertFalse(config.getBoolean("spindle.dev.embed.redis"));
        assertTrue(config.getBoolean("spindle.dev.embed.mongo"));
        assertEquals(8080, config.getInt("spindle.gateway.port"));
    }

    @Test
    void theRuntimesFoundAreHostedWithSeededConfigsAndTheMissingOnesSkippedWithTheReason() {
        DevRuntimes.Detection found = DevRuntimes.detect(backend -> backend.equals("flite")
                ? java.util.Optional.of("flite is not on the PATH") : java.util.Optional.empty());

        Config config = DevConfig.build(null, null, Map.<String, String>of()::get, found);

        List<HostedConfig> hosted = NodeSettings.from(config).hostedConfigs();
        assertEquals(List.of("echo-java", "echo-python", "tts-espeak"), hosted.stream().map(HostedConfig::configId).toList());
        List<String> argv = hosted.get(2).worker().argv();
        assertEquals(List.of("io.spindle.bridge.runtime.RuntimeWorker", "espeak"), argv.subList(argv.size() - 2, argv.size()));
        ModelConfig tts = SeedConfigs.fromConfig(config, Instant.now()).get(2);
        assertEquals("tts-espeak", tts.id());
        assertEquals("espeak", tts.runtimeBackend());
        assertEquals(List.of("audio.tts"), tts.jobTypes());
        assertTrue(found.describe().stream().anyMatch(l -> l.contains("skipped config tts-flite: flite is not on the PATH")), found.describe()::toString);
        assertTrue(found.describe().stream().anyMatch(l -> l.contains("found, hosting config tts-espeak")), found.describe()::toString);
    }
}
