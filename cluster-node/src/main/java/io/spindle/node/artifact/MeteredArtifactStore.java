package io.spindle.node.artifact;

/** An {@link ArtifactStore} that counts the object requests it starts (the node's {@code /metrics} shows them). */
public interface MeteredArtifactStore extends ArtifactStore {
    /** Object requests started so far (put, get, head, delete, list; a multipart upload counts once). */
    long requests();
}
