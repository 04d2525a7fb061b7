package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", sortOptions = false,
        description = {"Submit a job (POST /jobs) and print it; with --wait, wait until it finishes.",
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
            description = "Repeating a submit with the same key (on the same config) returns the first job instead of a new one.")
    String idempotencyKey;

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
        JobSpec jobSpec = new JobSpec(type, configId, JsonArgument.parseObject(spec.commandLine(), "--input", input),
                priority, maxAttempts, timeoutSeconds, idempotencyKey, labels);
        ApiReply submitted = client.submit(jobSpec);
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
