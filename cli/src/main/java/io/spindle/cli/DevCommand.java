package io.spindle.cli;

import io.spindle.cli.dev.DevConfig;
import io.spindle.cli.dev.DevRuntimes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spindle dev}: one node with every role on embedded backends; all state under the data dir. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run a single Spindle node with every role on embedded backends (MongoDB-wire, Redis, S3),",
                "hosting the built-in cpu.* workers as configs echo-java and echo-python, and the text-to-speech",
                "shims as configs tts-espeak and tts-flite when espeak-ng and flite are installed. Jobs and",
                "artifacts are kept under the data directory across restarts."})
final class DevCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: ~/.spindle, or SPINDLE_DATA_DIR).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port of the API (default: 8080, or SPINDLE_HTTP_PORT).")
    Integer port;

    @Override
    public Integer call() {
        DevRuntimes.Detection runtimes = DevRuntimes.detect();
        runtimes.describe().forEach(System.out::println);
        return NodeCommand.run(DevConfig.build(dataDir, port, System::getenv, runtimes), System.out, "Spindle dev node");
    }
}
