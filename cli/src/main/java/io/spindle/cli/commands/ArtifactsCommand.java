package io.spindle.cli.commands;

import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.artifact.Artifact;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "artifacts",
        description = "List the artifacts a job produced, oldest first (GET /jobs/{id}/artifacts); fetch one with 'spindle download'.")
public final class ArtifactsCommand extends ClientCommand {
    /** Enough hex digits of a SHA-256 to tell artifacts apart by eye. */
    static final int SHORT_SHA = 12;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job id.")
    String jobId;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.artifacts(jobId);
        if (json()) {
            printJson(reply);
            return ExitCodes.OK;
        }
        List<Artifact> artifacts = ApiJson.list(reply.json(), "artifacts", Artifact.class);
        if (artifacts.isEmpty()) {
            out().println("no artifacts");
            return ExitCodes.OK;
        }
        TextTable table = new TextTable("ID", "KIND", "MIME", "SIZE", "SHA256", "ATTEMPT", "CREATED");
        for (Artifact a : artifacts) {
            String sha = a.sha256() == null ? null : a.sha256().substring(0, Math.min(SHORT_SHA, a.sha256().length()));
            table.row(a.id(), a.kind(), a.mime(), Formats.bytes(a.size()), sha, a.attempt(), Formats.instant(a.createdAt()));
        }
        table.print(out());
        return ExitCodes.OK;
    }
}
