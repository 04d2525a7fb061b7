package io.spindle.node.artifact;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@link ArtifactUploader} needs to store one job attempt's outputs with their lineage.
 *
 * @param configVersion the config version the attempt ran on (null when unknown)
 * @param worker        the worker that produced the outputs
 * @param node          the node the worker ran on
 * @param scratchDir    the job's scratch dir; every declared path must resolve inside it
 * @param parentIds     artifacts the job consumed (e.g. an input image); each output derives from them
 */
public record ArtifactUpload(
        String jobId,
        int attempt,
        String configId,
        Integer configVersion,
        String worker,
        String node,
        Path scratchDir,
        List<DeclaredArtifact> declared,
        List<String> parentIds) {

    public ArtifactUpload {
        declared = declared == null ? List.of() : List.copyOf(declared);
        parentIds = parentIds == null ? List.of() : List.copyOf(parentIds);
    }
}
