package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerBase;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker process serving one built-in backend: {@code RuntimeWorker <backend> [socket]}. It says hello with the
 * shim's job types and hands every run to the shim, after checking that the run's config names this backend (a
 * config pointed at another backend must not be run by the wrong engine).
 */
public final class RuntimeWorker extends WorkerBase {
    public static final int EXIT_UNKNOWN_BACKEND = 3;
    private static final Logger log = LoggerFactory.getLogger(RuntimeWorker.class);

    private final RuntimeShim shim;

    public RuntimeWorker(RuntimeShim shim) {
        this.shim = shim;
    }

    public static void main(String[] args) {
        if (args.length == 0 || !RuntimeBackends.isBuiltin(args[0])) {
            log.error("usage: RuntimeWorker <backend> [socket]; backends: {}", RuntimeBackends.names());
            System.exit(EXIT_UNKNOWN_BACKEND);
        }
        RuntimeShim shim = RuntimeBackends.create(args[0]).orElseThrow();
        shim.unavailableReason().ifPresent(reason -> log.warn("backend {} will fail its jobs: {}", shim.backend(), reason));
        launch(new RuntimeWorker(shim), Arrays.copyOfRange(args, 1, args.length));
    }

    @Override
    protected String name() {
        return "spindle-runtime-" + shim.backend();
    }

    @Override
    protected List<String> jobTypes() {
        return shim.jobTypes();
    }

    @Override
    protected ObjectNode execute(JobRun job, WorkerContext ctx) throws WorkerFailure {
        String backend = job.runtimeBackend();
        if (backend != null && !backend.isBlank() && !backend.equals(shim.backend())) {
            throw WorkerFailure.permanent(Failures.UNSUPPORTED_BACKEND, "config " + job.configId() + " names runtime_backend '"
                    + backend + "' but this worker runs '" + shim.backend() + "'");
        }
        if (!shim.jobTypes().contains(job.type())) {
            throw WorkerFailure.permanent(Failures.UNSUPPORTED_JOB_TYPE, "backend " + shim.backend() + " runs "
                    + shim.jobTypes() + ", not " + job.type());
        }
        return shim.run(job, ctx);
    }
}
