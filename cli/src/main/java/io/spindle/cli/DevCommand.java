package io.spindle.cli;

import io.spindle.cli.dev.DevConfig;
import io.spindle.cli.dev.JoinSettings;
import io.spindle.cli.dev.DevRuntimes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spindle dev}: one node with every role on embedded backends; all state under the data dir. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run a single Spindle node with every role on embedded backends (MongoDB-wire, Redis, S3),"
                + " hosting the built-in cpu.* workers as configs echo-java and echo-python, and the runtime shims whose"
                + " engines are installed: tts-espeak, tts-flite, tts-festival, asr-pocketsphinx, eval-audio, video-ffmpeg,"
                + " image-magick, ocr-tesseract, eval-image; embed-minilm (its model is in the jar) and eval-basic;"
                + " text-llamacpp when SPINDLE_DEV_GGUF names a GGUF file. It prints which it found and which it skipped."
                + " Jobs and artifacts are kept under the data directory across restarts. With --cluster-port it is a"
                + " control node other nodes join: its backends then listen on fixed ports and it prints the settings they need.")
final class DevCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: ~/.spindle, or SPINDLE_DATA_DIR).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port of the API (default: 8080, or SPINDLE_HTTP_PORT).")
    Integer port;

    @Option(names = "--cluster-port", paramLabel = "N",
            description = {"Cluster port other nodes join (seed node pekko://spindle@HOST:N). The embedded backends then",
                    "listen on fixed ports: MongoDB-wire 27017, Redis 6379, S3 9000 (SPINDLE_DEV_MONGO_PORT,",
                    "SPINDLE_DEV_REDIS_PORT, SPINDLE_EMBEDDED_S3_PORT), on loopback."})
    Integer clusterPort;

    @Option(names = "--cluster-host", paramLabel = "HOST",
            description = "The address other nodes reach this node's cluster port at (default: 127.0.0.1).")
    String clusterHost;

    @Override
    public Integer call() {
        DevRuntimes.Detection runtimes = DevRuntimes.detect(System::getenv);
        runtimes.describe().forEach(System.out::println);
        return NodeCommand.run(DevConfig.build(dataDir, port, clusterPort, clusterHost, System::getenv, runtimes), System.out,
                "Spindle dev node", node -> clusterPort == null ? "" : JoinSettings.hocon(node.config()));
    }
}
