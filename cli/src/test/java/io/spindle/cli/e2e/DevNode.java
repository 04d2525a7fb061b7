package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spindle.bridge.runtime.RuntimeBackends;
import io.spindle.bridge.runtime.RuntimeShim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code spindle dev} node process for one test, with real worker processes. The test is skipped (with the
 * reason) unless every runtime backend it names can run on this machine; the node's data and run dirs live in a
 * fresh temp dir, deleted afterwards; its log is kept under {@code target/e2e-logs/<test class>}.
 */
final class DevNode implements BeforeEachCallback, AfterEachCallback {
    private final List<String> backends;
    private String testClass;
    private Path dir;
    private NodeProcess process;

    private DevNode(List<String> backends) {
        this.backends = backends;
    }

    /** A dev node for tests that need these runtime backends' engines installed. */
    static DevNode requiring(String... backends) {
        return new DevNode(List.of(backends));
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        for (String backend : backends) {
            RuntimeShim shim = RuntimeBackends.create(backend).orElseThrow();
            assumeTrue(shim.unavailableReason().isEmpty(), () -> "skipped: " + shim.unavailableReason().orElseThrow());
        }
        testClass = context.getRequiredTestClass().getSimpleName();
        dir = Files.createTempDirectory("spindle-" + testClass.toLowerCase(Locale.ROOT));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (process != null) {
            process.close();
            Path logs = Path.of("target", "e2e-logs", testClass);
            Files.createDirectories(logs);
            Files.copy(process.log(), logs.resolve("dev.log"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (dir != null) {
            Backends.deleteRecursively(dir);
        }
    }

    /** Starts the node on a free port and waits until it is ready; returns its API base URL. */
    String start() {
        process = NodeProcess.dev(dir, "--data", dir.resolve("data").toString(), "--port", Integer.toString(Backends.freePort()))
                .env("SPINDLE_RUN_DIR", dir.resolve("run").toString());
        return process.start();
    }

    /** Starts the node (see {@link #start}) and returns a client of its API. */
    SpindleApi startApi() {
        return new SpindleApi(start());
    }

    /** What the node printed so far (its start-up lines name the runtimes it found and skipped). */
    String printed() {
        return process.printed();
    }

    /** The test's own temp dir, deleted afterwards. */
    Path dir() {
        return dir;
    }
}
