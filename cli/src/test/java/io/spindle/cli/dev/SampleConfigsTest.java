package io.spindle.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.spindle.node.config.HostedConfig;
import io.spindle.node.config.NodeConfig;
import io.spindle.node.config.NodeSettings;
import io.spindle.node.registry.SeedConfigs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample node configs in configs/ load over the defaults and describe the nodes they claim to. */
class SampleConfigsTest {
    private static final Path CONFIGS = Path.of("..", "configs");

    @Test
    void theProductionSampleReachesRealBackendsAndHostsTheJavaBuiltIns() {
        Config config = NodeConfig.load(CONFIGS.resolve("node.conf"));

        assertFalse(config.getBoolean("spindle.dev.embedded"));
        NodeSettings node = NodeSettings.from(config);
        assertEquals("echo-java", node.hostedConfigs().get(0).configId());
        assertEquals(1, SeedConfigs.fromConfig(config, Instant.now()).size());
        assertEquals("cluster", config.getString("pekko.actor.provider"));
        assertTrue(config.getStringList("pekko.cluster.seed-nodes").isEmpty());
    }

    @Test
    void theDevSampleIsTheNodeSpindleDevRuns() {
        Config sample = NodeConfig.load(CONFIGS.resolve("dev.conf"));
        Config dev = DevConfig.build(null, null, Map.<String, String>of()::get);

        assertTrue(sample.getBoolean("spindle.dev.embedded"));
        assertEquals(NodeSettings.from(dev).hostedConfigs().stream().map(HostedConfig::configId).toList(),
                NodeSettings.from(sample).hostedConfigs().stream().map(HostedConfig::configId).toList());
        assertEquals(dev.getConfig("spindle.boot").root().render(), sample.getConfig("spindle.boot").root().render());
    }
}
