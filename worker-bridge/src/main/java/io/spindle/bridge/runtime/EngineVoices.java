package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The voices a local engine has, asked once per worker by running its listing command: engines fall back to a
 * default voice for a name they do not know, so the shim checks the name itself and fails permanently instead.
 */
final class EngineVoices {
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> listCommand;
    private final Function<String, Set<String>> parse;
    private volatile Set<String> voices;

    EngineVoices(List<String> listCommand, Function<String, Set<String>> parse) {
        this.listCommand = List.copyOf(listCommand);
        this.parse = parse;
    }

    /** Fails {@code unsupported_parameter} for a voice the engine does not list. */
    void check(String voice) throws WorkerFailure {
        Set<String> known = voices();
        if (!known.contains(voice)) {
            List<String> sample = known.stream().sorted().limit(12).toList();
            throw Failures.unsupported("voice", listCommand.get(0) + " has no voice '" + voice + "' (it has e.g. "
                    + String.join(", ", sample) + "; see `" + String.join(" ", listCommand) + "`)");
        }
    }

    private Set<String> voices() throws WorkerFailure {
        Set<String> known = voices;
        if (known != null) {
            return known;
        }
        try {
            Process process = new ProcessBuilder(listCommand).redirectErrorStream(true).start();
            String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(LIST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw Failures.timeout(String.join(" ", listCommand) + " did not answer");
            }
            known = Set.copyOf(parse.apply(listing));
            voices = known;
            return known;
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_MISSING, "cannot run " + String.join(" ", listCommand) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WorkerFailure.canceled();
        }
    }
}
