package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.ArtifactDownload;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "download",
        description = {"Save an artifact's bytes to a file, verified against its SHA-256.",
            "The bytes are streamed to disk; only bytes matching the metadata's SHA-256 are kept "
                + "(exit 6 otherwise, and nothing is saved)."})
public final class DownloadCommand extends ClientCommand {
    // A name taken from the artifact's URI must be a plain file name: no paths, no hidden files.
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._\\-]{0,200}");

    @Parameters(index = "0", paramLabel = "ARTIFACT_ID", description = "The artifact id (see 'spindle artifacts JOB_ID').")
    String artifactId;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to save it (a file is replaced if it exists; in a directory it gets the default name). "
                + "Default: the file name in the artifact's URI, in the current directory, which must not exist yet.")
    Path output;

    @Override
    protected int run(SpindleClient client) {
        Artifact artifact = client.artifact(artifactId).as(Artifact.class);
        Path target = output;
        if (target != null && Files.isDirectory(target)) {
            target = target.resolve(defaultName(artifact));
        } else if (target == null) {
            target = Path.of(defaultName(artifact));
            if (Files.exists(target)) {
                throw usage(target + " already exists; choose the file with -o FILE (it is then replaced)");
            }
        }
        ArtifactDownload.Saved saved = ArtifactDownload.save(client, artifact, target);
        if (json()) {
            ObjectNode o = Json.object()
                    .put("file", saved.file().toString())
                    .put("bytes", saved.bytes())
                    .put("sha256", saved.sha256())
                    .put("verified", true);
            o.set("artifact", ApiJson.mapper().valueToTree(artifact));
            out().println(ApiJson.compact(o));
        } else {
            out().println("saved " + saved.file() + " (" + Formats.bytes(saved.bytes()) + ", " + artifact.mime()
                    + ", sha256 " + saved.sha256() + " verified)");
        }
        return ExitCodes.OK;
    }

    static String defaultName(Artifact artifact) {
        String uri = artifact.uri() == null ? "" : artifact.uri();
        String last = uri.substring(uri.lastIndexOf('/') + 1);
        return SAFE_NAME.matcher(last).matches() ? last : artifact.id().replaceAll("[^A-Za-z0-9._\\-]", "_");
    }
}
