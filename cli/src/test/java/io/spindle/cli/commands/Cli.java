package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.cli.SpindleCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the real {@code spindle} command line in-process, capturing what it prints and its exit code. */
final class Cli {
    /** What one run printed and exited with. */
    record Result(int exitCode, String out, String err) {
        /** Asserts the run failed with {@code code} and one readable line on stderr (no stack trace). */
        Result assertFailed(int code) {
            assertEquals(code, exitCode, "exit code; stderr: " + err + " stdout: " + out);
            assertTrue(err.startsWith("spindle: "), err);
            assertEquals(1, err.strip().lines().count(), "one line, no stack trace: " + err);
            return this;
        }

        Result assertOk() {
            assertEquals(0, exitCode, "exit code; stderr: " + err);
            return this;
        }
    }

    private Cli() {}

    static Result run(String... args) {
        CommandLine cl = SpindleCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs a client command against {@code server} ({@code --server} appended). */
    static Result against(URI server, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server");
        all.add(server.toString());
        return run(all.toArray(String[]::new));
    }
}
