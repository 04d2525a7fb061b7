package io.spindle.bridge.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerBase;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * The built-in cpu workers, for tests, demos and the smoke checks of a deployment: {@code cpu.echo},
 * {@code cpu.noop}, {@code cpu.sleep}, {@code cpu.fail}, {@code cpu.crash} and {@code cpu.hang}. The Python SDK
 * carries the same set with the same inputs and outputs.
 */
public final class BuiltinWorkers extends WorkerBase {
    public static final String ECHO = "cpu.echo";
    /** Does nothing and writes nothing: what {@code spindle bench --noop} runs to measure the fabric alone. */
    public static final String NOOP = "cpu.noop";
    public static final String SLEEP = "cpu.sleep";
    public static final String FAIL = "cpu.fail";
    public static final String CRASH = "cpu.crash";
    public static final String HANG = "cpu.hang";
    public static final List<String> JOB_TYPES = List.of(ECHO, NOOP, SLEEP, FAIL, CRASH, HANG);

    public static final String ECHO_ARTIFACT = "echo.json";
    public static final long DEFAULT_SLEEP_MS = 1_000;
    public static final int SLEEP_PROGRESS_STEPS = 5;
    public static final String DEFAULT_FAIL_CODE = "cpu_fail";
    /** What a process killed by SIGKILL exits with; cpu.crash mimics an OOM-killed runtime. */
    public static final int CRASH_EXIT_CODE = 137;

    public static void main(String[] args) {
        launch(new BuiltinWorkers(), args);
    }

    @Override
    protected String name() {
        return "spindle-builtin-java";
    }

    @Override
    protected List<String> jobTypes() {
        return JOB_TYPES;
    }

    @Override
    protected ObjectNode execute(JobRun job, WorkerContext ctx) throws Exception {
        String type = job.type();
        if (type.equals(ECHO)) {
            return echo(ctx);
        } else if (type.equals(NOOP)) {
            return FrameCodec.mapper().createObjectNode();
        } else if (type.equals(SLEEP)) {
            return sleep(ctx);
        } else if (type.equals(FAIL)) {
            return fail(ctx);
        } else if (type.equals(CRASH)) {
            return crash(ctx);
        } else if (type.equals(HANG)) {
            return hang(ctx);
        }
        throw WorkerFailure.permanent("unsupported_job_type", "built-in workers do not run " + type);
    }

    /** Returns its input as outputs and writes it as the JSON artifact {@value #ECHO_ARTIFACT}. */
    private static ObjectNode echo(WorkerContext ctx) throws Exception {
        JsonNode input = ctx.input();
        Files.write(ctx.scratchDir().resolve(ECHO_ARTIFACT), FrameCodec.mapper().writeValueAsBytes(input));
        ctx.artifact(ECHO_ARTIFACT, "json", "application/json");
        if (input.isObject()) {
            return ((ObjectNode) input).deepCopy();
        }
        ObjectNode wrapped = FrameCodec.mapper().createObjectNode();
        wrapped.set("value", input);
        return wrapped;
    }

    /** Sleeps {@code duration_ms}, reporting progress after each of {@value #SLEEP_PROGRESS_STEPS} steps; stops on cancel. */
    private static ObjectNode sleep(WorkerContext ctx) throws WorkerFailure {
        long duration = ctx.input().path("duration_ms").asLong(DEFAULT_SLEEP_MS);
        for (int step = 1; step <= SLEEP_PROGRESS_STEPS; step++) {
            ctx.sleep(Duration.ofMillis(duration / SLEEP_PROGRESS_STEPS));
            ctx.progress(100.0 * step / SLEEP_PROGRESS_STEPS, "slept " + step + "/" + SLEEP_PROGRESS_STEPS);
        }
        return FrameCodec.mapper().createObjectNode().put("slept_ms", duration);
    }

    /** Fails with the given code, message and transience, or only while {@code attempt <= fail_attempts}. */
    private static ObjectNode fail(WorkerContext ctx) throws WorkerFailure {
        JsonNode input = ctx.input();
        if (input.has("fail_attempts") && ctx.attempt() > input.get("fail_attempts").asInt()) {
            return FrameCodec.mapper().createObjectNode().put("attempt", ctx.attempt());
        }
        throw new WorkerFailure(input.path("code").asText(DEFAULT_FAIL_CODE),
                input.path("message").asText("cpu.fail failed as asked"),
                input.path("transient").asBoolean(false));
    }

    /** Kills the process mid-job, or only while {@code attempt <= crash_attempts}. */
    private static ObjectNode crash(WorkerContext ctx) {
        JsonNode input = ctx.input();
        if (input.has("crash_attempts") && ctx.attempt() > input.get("crash_attempts").asInt()) {
            return FrameCodec.mapper().createObjectNode().put("attempt", ctx.attempt());
        }
        Runtime.getRuntime().halt(CRASH_EXIT_CODE);
        throw new IllegalStateException("unreachable: the process halted");
    }

    /** Never answers and stops heartbeating, ignoring cancel: an unresponsive worker for deadline tests. */
    private static ObjectNode hang(WorkerContext ctx) {
        ctx.autoHeartbeat(false);
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // deliberately deaf to cancel
            }
        }
    }
}
