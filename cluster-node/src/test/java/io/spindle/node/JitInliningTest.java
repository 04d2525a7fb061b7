package io.spindle.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitInliningTest {
    private static final Path LAUNCHER = Path.of("..", "bin", "spindle");

    @Test
    void theLauncherPassesTheRecommendedFlags() throws Exception {
        String launcher = Files.readString(LAUNCHER);
        for (String flag : JitInlining.flags()) {
            assertTrue(launcher.contains(flag), LAUNCHER + " passes " + flag);
        }
    }

    @Test
    void anOptionLeftAtItsDefaultIsReportedAndOneGivenIsNot() {
        List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments();
        boolean c1Only = given.stream().anyMatch(arg -> arg.matches("-XX:TieredStopAtLevel=[0-3]"));
        for (var option : JitInlining.RECOMMENDED) {
            boolean onCommandLine = given.stream().anyMatch(arg -> arg.startsWith("-XX:" + option.getKey() + "="));
            assertEquals(!onCommandLine && !c1Only, JitInlining.leftAtDefault().containsKey(option.getKey()),
                    option.getKey() + " in " + given);
        }
    }
}
