package io.spindle.node.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.files.PrivateFiles;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.stream.StreamRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the artifacts a job's input references ({@link InputReferences}) from the {@link ArtifactStore} into the
 * attempt's scratch dir, {@code <scratch>/.inputs/<artifact_id><ext>} (0600), checking each against the size and
 * SHA-256 the catalog recorded, and gives back the input the run frame carries: the job's input with each file's
 * path, media type and size added. Everything is asynchronous; only the folder and file creation (two small file
 * system calls per artifact) run on the blocking executor.
 *
 * <p>Failures are typed: {@code ARTIFACT_NOT_FOUND} when the catalog or the store no longer has a referenced
 * artifact (a retry cannot help), {@code UNAVAILABLE} for anything else (the store was unreachable, the bytes
 * differed from the recorded ones, the file could not be written), worth another attempt.
 */
public final class InputFetcher {
    private static final Logger log = LoggerFactory.getLogger(InputFetcher.class);
    private static final Set<StandardOpenOption> WRITE = Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    /** The longest file extension kept from an artifact's file name (".jpeg", ".webm", ".flac" fit). */
    private static final int MAX_EXTENSION_CHARS = 8;

    /** The input a run gets, and the artifacts it was made from (the lineage parents of the run's outputs). */
    public record RunInput(JsonNode input, List<String> artifactIds) {
        public RunInput {
            artifactIds = List.copyOf(artifactIds);
        }

        /** A run whose input references no artifact. */
        public static RunInput plain(JsonNode input) {
            return new RunInput(input, List.of());
        }
    }

    private final ClassicActorSystemProvider system;
    private final ArtifactStore store;
    private final ArtifactCatalog catalog;
    private final InputSettings settings;
    private final Executor blockingIo;

    public InputFetcher(ClassicActorSystemProvider system, ArtifactStore store, ArtifactCatalog catalog, InputSettings settings,
                        Executor blockingIo) {
        this.system = system;
        this.store = store;
        this.catalog = catalog;
        this.settings = settings;
        this.blockingIo = blockingIo;
    }

    /** A fetcher configured from the system's {@code spindle.artifacts.inputs}, writing files on its blocking dispatcher. */
    public static InputFetcher create(org.apache.pekko.actor.typed.ActorSystem<?> system, ArtifactStore store, ArtifactCatalog catalog) {
        return new InputFetcher(system, store, catalog, InputSettings.fromConfig(system.settings().config()),
                system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking()));
    }

    /** Fetches every artifact {@code input} references into {@code scratchDir}; completes with the run's input. */
    public CompletionStage<RunInput> fetch(JsonNode input, Path scratchDir) {
        List<String> ids = InputReferences.artifactIds(input);
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(RunInput.plain(input));
        }
        Path dir = scratchDir.resolve(settings.directory());
        CompletableFuture<Map<String, InputReferences.Fetched>> done = CompletableFuture
                .supplyAsync(() -> privateDirectory(dir), blockingIo)
                .thenApply(created -> new LinkedHashMap<>());
        for (int from = 0; from < ids.size(); from += settings.parallelism()) {
            List<String> group = ids.subList(from, Math.min(ids.size(), from + settings.parallelism()));
            done = done.thenCompose(fetched -> {
                List<CompletableFuture<InputReferences.Fetched>> gets = group.stream().map(id -> fetchOne(id, dir)).toList();
                return CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).thenApply(all -> {
                    gets.forEach(get -> fetched.put(get.join().artifactId(), get.join()));
                    return fetched;
                });
            });
        }
        return done.thenApply(fetched -> {
            long bytes = fetched.values().stream().mapToLong(InputReferences.Fetched::bytes).sum();
            log.debug("fetched {} input artifacts ({} bytes) into {}", fetched.size(), bytes, dir);
            return new RunInput(InputReferences.withFiles(input, fetched), ids);
        });
    }

    private CompletableFuture<InputReferences.Fetched> fetchOne(String id, Path dir) {
        return PekkoStages.direct(catalog.artifact(id)).thenCompose(found -> {
            Artifact artifact = found.orElseThrow(() -> vanished(id, "the catalog has no such artifact"));
            String key = store.keyOf(artifact.uri()).orElseThrow(() -> vanished(id, "its URI " + artifact.uri()
                    + " is not in this node's artifact store"));
            Path file = dir.resolve(id + extension(key));
            return CompletableFuture.supplyAsync(() -> privateFile(file), blockingIo)
                    .thenCompose(created -> PekkoStages.direct(store.get(key, Optional.empty())))
                    .thenCompose(content -> PekkoStages.direct(checked(artifact, content.bytes())
                            .runWith(FileIO.toPath(file, WRITE), StreamRuns.get(system).materializer(StreamRuns.Site.ARTIFACTS))))
                    .thenApply(written -> new InputReferences.Fetched(id, file, artifact.mime(), written.count()))
                    .exceptionally(failure -> {
                        throw typed(id, failure);
                    });
        });
    }

    /** The bytes, failing the stream unless they are the recorded size and SHA-256 (when the catalog has one). */
    private static Source<ByteString, NotUsed> checked(Artifact artifact, Source<ByteString, NotUsed> bytes) {
        if (artifact.sha256() == null || artifact.sha256().isBlank()) {
            return bytes;
        }
        return VerifiedBytes.of(bytes, artifact.size(), artifact.sha256(), mismatch -> {});
    }

    /** ".wav" of "…/speech.wav": engines such as ffmpeg go by it. Empty when the name has none usable. */
    static String extension(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || name.length() - dot > MAX_EXTENSION_CHARS) {
            return "";
        }
        String ext = name.substring(dot);
        return ext.matches("\\.[A-Za-z0-9]+") ? ext : "";
    }

    private static Path privateDirectory(Path dir) {
        try {
            return PrivateFiles.directory(dir);
        } catch (IOException e) {
            throw unavailable("cannot create " + dir + ": " + e.getMessage());
        }
    }

    private static Path privateFile(Path file) {
        try {
            return PrivateFiles.file(file);
        } catch (IOException e) {
            throw unavailable("cannot create " + file + ": " + e.getMessage());
        }
    }

    private static SpindleException typed(String id, Throwable failure) {
        Throwable cause = StoreFailures.unwrap(failure);
        if (cause instanceof SpindleException se) {
            if (se.error().code() == ErrorCode.ARTIFACT_NOT_FOUND) {
                return vanished(id, "its bytes are gone from the artifact store");
            }
            if (se.error().code() != ErrorCode.UNAVAILABLE) {
                return unavailable("input artifact " + id + ": " + se.getMessage());
            }
            return se;
        }
        return unavailable("input artifact " + id + " could not be fetched: " + cause.getMessage());
    }

    private static SpindleException vanished(String id, String why) {
        return new SpindleException(SpindleError.of(ErrorCode.ARTIFACT_NOT_FOUND, "input artifact " + id + " has vanished: " + why,
                Map.of("artifact_id", id)));
    }

    private static SpindleException unavailable(String message) {
        return new SpindleException(SpindleError.of(ErrorCode.UNAVAILABLE, message, Map.of()));
    }
}
