package io.spindle.node.artifact;

import com.typesafe.config.Config;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.job.JobIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the outputs a worker declared for one job attempt into stored artifacts: checks that every
 * path stays inside the job's scratch dir, streams each file to the {@link ArtifactStore} (size and
 * SHA-256 are computed in that same pass, see {@link ArtifactStore#put}), and records the metadata
 * with its lineage in the {@link ArtifactCatalog} in one call for the job.
 *
 * <p>Failures are typed: {@code INVALID_REQUEST} when a declared output is unacceptable (outside
 * the scratch dir, missing, not a file, declared twice, bad media type) — the worker's fault, so the
 * attempt should fail for good — and {@code UNAVAILABLE} when the store or the catalog could not
 * take it, worth a retry. Nothing is recorded unless every file was stored.
 */
public final class ArtifactUploader {
    private static final Logger log = LoggerFactory.getLogger(ArtifactUploader.class);
    private static final String ID_PREFIX = "art_";
    /**
     * Hex digits after the prefix: 48 bits of the job id, then 48 of hash (ample among the artifacts of one job, or of
     * jobs whose ids begin alike: made in the same millisecond).
     */
    private static final int ID_HEX_DIGITS = 24;

    private final ArtifactStore store;
    private final ArtifactCatalog catalog;
    private final ArtifactMimeTypes mimeTypes;
    private final String defaultKind;
    private final int parallelism;
    private final Clock clock;

    public ArtifactUploader(ClassicActorSystemProvider system, ArtifactStore store, ArtifactCatalog catalog,
                            Config upload, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.mimeTypes = ArtifactMimeTypes.fromConfig(upload);
        this.defaultKind = upload.getString("default-kind");
        this.parallelism = upload.getInt("parallelism");
        this.clock = clock;
    }

    /** An uploader configured from the system's {@code spindle.artifacts.upload}. */
    public static ArtifactUploader create(ClassicActorSystemProvider system, ArtifactStore store,
                                          ArtifactCatalog catalog) {
        Config upload = system.classicSystem().settings().config().getConfig("spindle.artifacts.upload");
        return new ArtifactUploader(system, store, catalog, upload, Clock.systemUTC());
    }

    /**
     * Stores and records the declared outputs; completes with their artifact ids in declaration
     * order (what the job's Complete event carries). Path checks touch the file system on the
     * calling thread (a few stat calls per output); the bytes move asynchronously.
     */
    public CompletionStage<List<String>> upload(ArtifactUpload job) {
        if (job.declared().isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<PlannedArtifact> plan;
        try {
            plan = plan(job);
        } catch (SpindleException e) {
            log.warn("Rejected outputs of job {} attempt {} (config {}, node {}): {}",
                    job.jobId(), job.attempt(), job.configId(), job.node(), e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        return putAll(job, plan)
                .thenCompose(artifacts -> PekkoStages.direct(catalog.putArtifacts(artifacts)).thenApply(done -> {
                    long bytes = artifacts.stream().mapToLong(Artifact::size).sum();
                    log.info("Stored {} artifacts ({} bytes) of job {} attempt {} (config {}, node {})",
                            artifacts.size(), bytes, job.jobId(), job.attempt(), job.configId(), job.node());
                    return artifacts.stream().map(Artifact::id).toList();
                }));
    }

    /**
     * Puts the planned files, {@code parallelism} at a time, in plan order; plain future composition rather than a
     * stream, so a job's upload materializes nothing of its own.
     */
    private CompletableFuture<List<Artifact>> putAll(ArtifactUpload job, List<PlannedArtifact> plan) {
        CompletableFuture<List<Artifact>> done = CompletableFuture.completedFuture(new ArrayList<>(plan.size()));
        for (int from = 0; from < plan.size(); from += parallelism) {
            List<PlannedArtifact> group = plan.subList(from, Math.min(plan.size(), from + parallelism));
            done = done.thenCompose(stored -> {
                List<CompletableFuture<Artifact>> puts = group.stream()
                        .map(p -> PekkoStages.direct(store.put(p.key(), p.file(), p.mime())).thenApply(put -> artifact(job, p, put)))
                        .toList();
                return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).thenApply(all -> {
                    puts.forEach(put -> stored.add(put.join()));
                    return stored;
                });
            });
        }
        return done;
    }

    /**
     * The artifact id of an output: stable per job, attempt and path, so a re-upload overwrites. Its first half is
     * the job id's first 48 bits (a time-ordered id's time, docs/decisions/0030-time-ordered-job-ids.md), the rest
     * hash: a job's artifacts sit together in the catalog's index, and a later job's after them.
     */
    static String artifactId(String jobId, int attempt, String relativePath) {
        String hash = HexFormat.of().formatHex(ContentDigest.newSha256().digest(
                (jobId + "\n" + attempt + "\n" + relativePath).getBytes(StandardCharsets.UTF_8)));
        String half = hash.substring(0, ID_HEX_DIGITS / 2);
        String jobPart = JobIds.isWellFormed(jobId)
                ? jobId.substring(0, 8) + jobId.substring(9, 13)
                : hash.substring(ID_HEX_DIGITS / 2, ID_HEX_DIGITS);
        return ID_PREFIX + jobPart + half;
    }

    private record PlannedArtifact(String id, String key, Path file, String kind, String mime) {}

    private List<PlannedArtifact> plan(ArtifactUpload job) {
        Path scratch;
        try {
            scratch = job.scratchDir().toRealPath();
        } catch (IOException e) {
            throw rejected(String.valueOf(job.scratchDir()), "scratch_dir_missing", "the job's scratch dir cannot be read");
        }
        List<PlannedArtifact> plan = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (DeclaredArtifact declared : job.declared()) {
            Path inside = insideScratch(scratch, declared.path());
            String relative = scratch.relativize(inside).toString().replace('\\', '/');
            if (!seen.add(relative)) {
                throw rejected(declared.path(), "declared_twice", "the same output is declared twice");
            }
            Path file = realFile(scratch, inside, declared.path());
            String id = artifactId(job.jobId(), job.attempt(), relative);
            String fileName = keySafe(inside.getFileName().toString());
            String key = String.join("/", job.configId(), job.jobId(), Integer.toString(job.attempt()), id, fileName);
            String kind = blank(declared.kind()) ? defaultKind : declared.kind();
            String mime = blank(declared.mime()) ? mimeTypes.of(fileName, kind) : declared.mime();
            plan.add(new PlannedArtifact(id, key, file, kind, mime));
        }
        return plan;
    }

    /** The declared path resolved in the scratch dir, refusing absolute paths and any that climb out of it. */
    private static Path insideScratch(Path scratch, String declaredPath) {
        if (blank(declaredPath)) {
            throw rejected(String.valueOf(declaredPath), "empty_path", "an output path is empty");
        }
        Path declared;
        try {
            declared = Path.of(declaredPath);
        } catch (InvalidPathException e) {
            throw rejected(declaredPath, "invalid_path", "not a valid path");
        }
        if (declared.isAbsolute()) {
            throw rejected(declaredPath, "absolute_path", "output paths must be relative to the scratch dir");
        }
        Path resolved = scratch.resolve(declared).normalize();
        if (!resolved.startsWith(scratch) || resolved.equals(scratch)) {
            throw rejected(declaredPath, "outside_scratch_dir", "the path leads out of the scratch dir");
        }
        return resolved;
    }

    /** The file behind the path with every symlink followed, which must still be inside the scratch dir. */
    private static Path realFile(Path scratch, Path inside, String declaredPath) {
        Path real;
        try {
            real = inside.toRealPath();
        } catch (NoSuchFileException e) {
            throw rejected(declaredPath, "missing", "no such file in the scratch dir");
        } catch (IOException e) {
            throw rejected(declaredPath, "unreadable", "cannot be read: " + e.getMessage());
        }
        if (!real.startsWith(scratch)) {
            throw rejected(declaredPath, "outside_scratch_dir", "a symlink leads out of the scratch dir");
        }
        if (!Files.isRegularFile(real)) {
            throw rejected(declaredPath, "not_a_file", "not a regular file");
        }
        return real;
    }

    private Artifact artifact(ArtifactUpload job, PlannedArtifact p, StoredObject stored) {
        return new Artifact(p.id(), job.jobId(), job.attempt(), job.configId(), job.configVersion(), p.kind(), p.mime(),
                stored.size(), stored.sha256(), store.uri(p.key()), job.worker(), job.node(), clock.instant(),
                job.parentIds());
    }

    /** A file name usable as the last key segment everywhere S3 runs: unusual characters become '_'. */
    private static String keySafe(String fileName) {
        return fileName.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static SpindleException rejected(String path, String reason, String message) {
        return new SpindleException(SpindleError.of(ErrorCode.INVALID_REQUEST,
                "declared output '" + path + "' rejected: " + message, Map.of("path", path, "reason", reason)));
    }
}
