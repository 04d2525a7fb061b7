package io.spindle.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.spindle.bridge.runtime.RuntimeWorker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hosted configs as a node file writes them: a command, a cpu.* builtin, or a built-in runtime backend. */
class NodeSettingsTest {

    private static NodeSettings settings(String hosted) {
        return NodeSettings.from(NodeConfig.layered(ConfigFactory.parseString("spindle.node.hosted-configs = [" + hosted + "]")));
    }

    @Test
    void aBuiltinBackendNeedsNoWorkerCommand() {
        HostedConfig tts = settings("{ config-id = \"tts-espeak\", worker { backend = \"espeak\" } }").hostedConfigs().get(0);

        List<String> argv = tts.worker().argv();
        assertEquals(List.of(RuntimeWorker.class.getName(), "espeak"), argv.subList(argv.size() - 2, argv.size()));
        assertTrue(argv.get(0).endsWith("java"), argv.toString());
        assertEquals(1, tts.concurrency());
    }

    @Test
    void anUnknownBackendIsRefusedNamingTheHostedConfig() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings("{ config-id = \"tts-x\", worker { backend = \"nope\" } }"));
        assertTrue(e.getMessage().contains("tts-x") && e.getMessage().contains("espeak"), e.getMessage());
    }

    @Test
    void aWorkerWithoutCommandBuiltinOrBackendIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings("{ config-id = \"bare\", worker { env { A = \"1\" } } }"));
        assertTrue(e.getMessage().contains("bare"), e.getMessage());
    }

    @Test
    void commandsStillWork() {
        HostedConfig custom = settings("{ config-id = \"sdxl\", concurrency = 2, worker { command = [\"python3\", \"-m\", \"w\"] } }")
                .hostedConfigs().get(0);
        assertEquals(List.of("python3", "-m", "w"), custom.worker().argv());
        assertEquals(2, custom.concurrency());
    }

    @Test
    void withoutARunDirTwoNodesOfOneMachineGetTheirOwnInsideTheirDataDirs() {
        assertEquals(Path.of("/srv/a/run"), RunDirs.resolve("", Path.of("/srv/a"), "ml"));
        assertEquals(Path.of("/srv/b/run"), RunDirs.resolve("", Path.of("/srv/b"), "ml"));
        assertEquals(Path.of("/run/spindle"), RunDirs.resolve("/run/spindle", Path.of("/srv/a"), "ml"), "a configured one wins");
    }

    @Test
    void aDataDirTooLongForWorkerSocketsGetsAPrivateNameInTmpPerDataDir() {
        Path deep = Path.of("/home/ml/" + "projects/".repeat(10) + "a");
        Path other = Path.of("/home/ml/" + "projects/".repeat(10) + "b");

        Path runDir = RunDirs.resolve("", deep, "ml");
        assertTrue(runDir.toString().startsWith("/tmp/spindle-ml-"), runDir.toString());
        assertTrue(runDir.toString().length() <= RunDirs.MAX_BYTES, runDir.toString());
        assertEquals(runDir, RunDirs.resolve("", deep, "ml"), "stable across restarts");
        assertNotEquals(runDir, RunDirs.resolve("", other, "ml"));
    }
}
