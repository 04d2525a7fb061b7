package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.model.job.Job;
import java.io.PrintWriter;

/** Prints one job answer (its JSON as is, or a key-value block) and answers the exit code of the job's status. */
final class JobPrinting {
    private JobPrinting() {}

    static int print(ApiReply reply, boolean json, PrintWriter out) {
        Job job = reply.as(Job.class);
        if (json) {
            out.println(reply.body().strip());
        } else {
            JobText.block(job).print(out);
        }
        return ExitCodes.forStatus(job.status());
    }
}
