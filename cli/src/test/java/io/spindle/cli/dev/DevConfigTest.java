package io.spindle.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
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
    void aClusterPortMakesTheDevNodeAControlNodeWithBackendsOnFixedPorts() {
        Config plain = DevConfig.build(null, null, Map.<String, String>of()::get);
        assertEquals(0, plain.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(0, plain.getInt("spindle.dev.redis.port"));

        Config control = DevConfig.build(null, null, 25520, "10.0.0.5", Map.<String, String>of()::get);

        assertEquals(25520, control.getInt("pekko.remote.artery.canonical.port"));
        assertEquals("10.0.0.5", control.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(27017, control.getInt("spindle.dev.mongo.port"));
        assertEquals("127.0.0.1", control.getString("spindle.dev.mongo.host"));
        assertEquals(6379, control.getInt("spindle.dev.redis.port"));
        assertEquals(9000, control.getInt("spindle.artifacts.embedded.port"));
        assertEquals("127.0.0.1", control.getString("spindle.artifacts.embedded.host"));
    }

    @Test
    void theJoinSettingsNameTheSeedNodeAndTheBackends() {
        Config control = ConfigFactory.parseString("""
                spindle.mongo.uri = "mongodb://127.0.0.1:27017"
                spindle.redis.uri = "redis://127.0.0.1:6379"
                spindle.artifacts.s3.endpoint = "http://127.0.0.1:9000"
                """).withFallback(DevConfig.build(null, null, 25520, null, Map.<String, String>of()::get));

        Config gpu = ConfigFactory.parseString(JoinSettings.hocon(control));

        assertEquals(List.of("pekko://spindle@127.0.0.1:25520"), gpu.getStringList("pekko.cluster.seed-nodes"));
        assertEquals("mongodb://127.0.0.1:27017", gpu.getString("spindle.mongo.uri"));
        assertEquals("redis://127.0.0.1:6379", gpu.getString("spindle.redis.uri"));
        assertEquals("http://127.0.0.1:9000", gpu.getString("spindle.artifacts.s3.endpoint"));
        assertEquals(List.of("worker"), gpu.getStringList("spindle.node.roles"));
    }

    @Test
    void theRuntimesFoundAreHostedWithSeededConfigsAndTheMissingOnesSkippedWithTheReason() {
        DevRuntimes.Detection found = DevRuntimes.detect(Map.<String, String>of()::get, backend -> backend.equals("espeak")
                ? java.util.Optional.empty() : java.util.Optional.of(backend + " is not on the PATH"));

        Config config = DevConfig.build(null, null, Map.<String, String>of()::get, found);

        List<HostedConfig> hosted = NodeSettings.from(config).hostedConfigs();
        assertEquals(List.of("echo-java", "echo-python", "tts-espeak"),
                hosted.stream().map(HostedConfig::configId).toList());
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
