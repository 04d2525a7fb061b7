package io.spindle.bridge.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Python built-ins as {@code python3 -m spindle_worker}, from the SDK extracted out of the jar's resources. */
class PythonBuiltinWorkersTest extends BuiltinWorkerContract {
    static final String PYTHON = "python3";

    @Override
    List<String> command(Path dir) throws Exception {
        BuiltinWorkerCommands.extractPythonSdk(dir.resolve("py"));
        return List.of(PYTHON, "-m", BuiltinWorkerCommands.PYTHON_MODULE);
    }

    @Override
    Map<String, String> environment(Path dir) {
        return Map.of("PYTHONPATH", dir.resolve("py").toString(), "PYTHONDONTWRITEBYTECODE", "1");
    }

    @Override
    String expectedName() {
        return "spindle-builtin-python";
    }

    @Test
    void anImportedSdkTurnsUncaughtExceptionsIntoTransientWorkerExceptions() throws Exception {
        worker.close();
        Path script = dir.resolve("py").resolve("boom_worker.py");
        Files.writeString(script, String.join("\n",
                "import sys",
                "import spindle_worker as sw",
                "class Boom(sw.Worker):",
                "    name = 'boom'",
                "    job_types = ['cpu.boom']",
                "    def execute(self, job, ctx):",
                "        if job.input.get('escape'):",
                "            ctx.artifact('../outside.txt', 'text', 'text/plain')",
                "        raise ValueError('kaputt ' + str(ctx.params.get('p')))",
                "sys.exit(Boom().serve())",
                ""));
        Path boomDir = Files.createDirectory(dir.resolve("boom"));
        try (WorkerHarness boom = WorkerHarness.start(boomDir, List.of(PYTHON, script.toString()), environment(dir))) {
            assertEquals("boom", boom.hello().name());
            String job = boom.run("cpu.boom", WorkerHarness.json("{}"));
            WorkerMessage.Error error = boom.await(job, WorkerMessage.Error.class);
            assertEquals(WorkerMessage.Error.WORKER_EXCEPTION, error.code());
            assertTrue(error.isTransient());
            assertTrue(error.message().contains("ValueError: kaputt"), error.message());

            String escaping = boom.run("cpu.boom", WorkerHarness.json("{\"escape\":true}"));
            WorkerMessage.Error refused = boom.await(escaping, WorkerMessage.Error.class);
            assertTrue(refused.message().contains("not inside the scratch dir"), refused.message());
        }
    }
}
