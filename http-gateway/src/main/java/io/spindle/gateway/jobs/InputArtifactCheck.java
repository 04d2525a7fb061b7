package io.spindle.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.runtime.InputArtifact;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.validation.FieldError;
import io.spindle.model.validation.ValidationException;
import io.spindle.node.artifact.InputReferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The artifact references of a job's input, checked at submit so a job never waits in a queue for an input that
 * does not exist: each must be well formed, there may be at most {@code spindle.artifacts.inputs.max-references},
 * and each must be in the {@link ArtifactCatalog} (one read per distinct id, all at once). A failure is a 400
 * {@code validation_failed} naming every bad reference's JSON path and id.
 */
public final class InputArtifactCheck {
    private final ArtifactCatalog catalog;
    private final int maxReferences;

    public InputArtifactCheck(ArtifactCatalog catalog, int maxReferences) {
        this.catalog = catalog;
        this.maxReferences = maxReferences;
    }

    /** The checks that need no catalog: well-formed references, not too many. */
    public void checkShape(JsonNode input) {
        List<FieldError> problems = InputReferences.problems(input, maxReferences);
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    /** Completes when every referenced artifact exists; fails with a {@link ValidationException} naming those that do not. */
    public CompletionStage<Void> checkExists(JsonNode input) {
        List<InputReferences.Reference> references = InputReferences.scan(input);
        if (references.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> ids = InputReferences.artifactIds(input);
        List<CompletableFuture<Optional<?>>> lookups = ids.stream()
                .<CompletableFuture<Optional<?>>>map(id -> catalog.artifact(id).toCompletableFuture().thenApply(found -> found))
                .toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<FieldError> missing = new ArrayList<>();
            for (InputReferences.Reference reference : references) {
                if (lookups.get(ids.indexOf(reference.artifactId())).join().isEmpty()) {
                    missing.add(new FieldError(reference.path() + "." + InputArtifact.ARTIFACT_ID,
                            "no artifact " + reference.artifactId() + " (GET /artifacts/" + reference.artifactId() + ")"));
                }
            }
            if (!missing.isEmpty()) {
                throw new ValidationException(missing);
            }
            return null;
        });
    }
}
