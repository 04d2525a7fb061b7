package io.spindle.cli.commands;

import io.spindle.cli.client.ApiException;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.KeyedSubmit;
import io.spindle.cli.client.ServerUnreachableException;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", sortOptions = false,
        description = {"Submit a job (POST /jobs) and print it; with --wait, wait until it finishes. The submit carries an",
            "idempotency key and is repeated with it when its outcome is unknown, so it never creates two jobs.",
            "Example: spindle submit cpu.echo --config echo-v1 --input '{\"text\": \"hi\"}' --wait"})
public final class SubmitCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TYPE", description = "The job type, namespace.name (e.g. image.generate).")
    String type;

    @Option(names = "--config", required = true, paramLabel = "ID", description = "The config to run the job on.")
    String configId;

    @Option(names = "--input", paramLabel = "JSON|@FILE", defaultValue = "{}",
            description = "The job's input: a JSON object, or @FILE to read it from a file (@- for stdin). Default ${DEFAULT-VALUE}.")
    String input;

    @Option(names = "--priority", paramLabel = "N", description = "0 to 9, higher runs first (server default 5).")
    Integer priority;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts before the job is dead-lettered (server default 3).")
    Integer maxAttempts;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time limit of one attempt (server default 600).")
    Integer timeoutSeconds;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = {"Repeating a submit with the same key (on the same config) returns the first job instead of a new one.",
                "Without it the submit makes one key and uses it for all its tries."})
    String idempotencyKey;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "4",
            description = {"Repeat the submit, with the same idempotency key, up to N times when its outcome is unknown or the node",
                "could not take it (no connection or answer, 429 after its Retry-After, 5xx). Default ${DEFAULT-VALUE}."})
    int retries;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label; repeat for more.")
    Map<String, String> labels;

    @Option(names = "--wait", description = "Wait until the job is terminal; exit with its outcome (see Exit codes).")
    boolean waitForIt;

    @Option(names = {"-q", "--quiet"}, description = "Print only the job id (without --wait).")
    boolean quiet;

    @Mixin
    WaitOptions waitOptions;

    @Override
    protected int run(SpindleClient client) throws Exception {
        if (retries < 0) {
            throw usage("--retries must be 0 or more, was " + retries);
        }
        JobSpec jobSpec = KeyedSubmit.keyed(new JobSpec(type, configId, JsonArgument.parseObject(spec.commandLine(), "--input", input),
                priority, maxAttempts, timeoutSeconds, idempotencyKey, labels));
        String key = jobSpec.idempotencyKey();
        ApiReply submitted;
        try {
            submitted = new KeyedSubmit(client, retries + 1, KeyedSubmit.DEFAULT_FIRST_PAUSE, KeyedSubmit.DEFAULT_MAX_PAUSE)
                    .submit(jobSpec, (failedTry, failure, pause) -> {
                        err().printf("spindle: submit try %d of %d failed (%s); repeating it with idempotency key %s in %d ms%n",
                                failedTry, retries + 1, failure.getMessage(), key, pause.toMillis());
                        err().flush();
                    });
        } catch (ServerUnreachableException | ApiException e) {
            if (KeyedSubmit.retryable(e)) {
                // The job may exist: the same key finds it instead of creating another.
                err().println("spindle: the job may have been created; repeat with --idempotency-key " + key + " to be sure");
                err().flush();
            }
            throw e;
        }
        Job job = submitted.as(Job.class);
        if (waitForIt) {
            return waitOptions.awaitAndPrint(client, job.id(), json(), out());
        }
        if (json()) {
            printJson(submitted);
        } else if (quiet) {
            out().println(job.id());
        } else {
            JobText.block(job).print(out());
        }
        return ExitCodes.OK;
    }
}
