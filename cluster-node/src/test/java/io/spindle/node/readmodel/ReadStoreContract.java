package io.spindle.node.readmodel;

import static io.spindle.node.readmodel.ReadModelFixtures.T0;
import static io.spindle.node.readmodel.ReadModelFixtures.artifact;
import static io.spindle.node.readmodel.ReadModelFixtures.await;
import static io.spindle.node.readmodel.ReadModelFixtures.config;
import static io.spindle.node.readmodel.ReadModelFixtures.failureCode;
import static io.spindle.node.readmodel.ReadModelFixtures.fullJob;
import static io.spindle.node.readmodel.ReadModelFixtures.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.artifact.Artifact;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import io.spindle.model.store.JobPage;
import io.spindle.model.store.JobQuery;
import io.spindle.model.store.ReadStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReadStore} promises, run against each implementation (in memory and MongoDB)
 * by a subclass that supplies a fresh, empty store per test.
 */
abstract class ReadStoreContract {
    protected ReadStore store;

    protected abstract ReadStore newStore();

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    // ---- jobs

    @Test
    void jobViewRoundTripsExactly() {
        Job full = fullJob("j-full");
        await(store.putJobs(List.of(full)));
        assertEquals(Optional.of(full), await(store.job("j-full")));
        assertEquals(Map.of("j-full", full), await(store.jobs(List.of("j-full", "missing"))));
    }

    @Test
    void unknownJobIsEmpty() {
        assertEquals(Optional.empty(), await(store.job("nope")));
        assertEquals(Map.of(), await(store.jobs(List.of())));
        assertEquals(Map.of(), await(store.jobs(List.of("nope"))));
    }

    @Test
    void viewOnlyReplacesAnOlderRevision() {
        Job r1 = job("j1", "image.generate", "sdxl", T0);
        Job r2 = r1.apply(new JobEvent.Leased("j1", 1, "n", "w", T0.plusSeconds(30), T0.plusSeconds(1)));
        Job r3 = r2.apply(new JobEvent.Started("j1", 1, T0.plusSeconds(2)));
        await(store.putJobs(List.of(r2)));
        await(store.putJobs(List.of(r1)));
        assertEquals(r2, await(store.job("j1")).orElseThrow(), "an older revision must not replace a newer one");
        Job sameRevisionOtherContent = r2.withProgress(new io.spindle.model.job.Progress(10, "x", T0));
        await(store.putJobs(List.of(sameRevisionOtherContent)));
        assertEquals(r2, await(store.job("j1")).orElseThrow(), "the same revision is kept, not replaced");
        await(store.putJobs(List.of(r3)));
        assertEquals(r3, await(store.job("j1")).orElseThrow());
    }

    @Test
    void oneBatchMixesStaleAndFreshViews() {
        Job a1 = job("a", "image.generate", "sdxl", T0);
        Job a2 = a1.apply(new JobEvent.Canceled("a", "user", T0.plusSeconds(1)));
        Job b1 = job("b", "image.generate", "sdxl", T0.plusSeconds(1));
        await(store.putJobs(List.of(a2)));
        // Stale a1, a new job b, and two views of c in one call: the newest of each wins.
        Job c1 = job("c", "audio.tts", "piper", T0.plusSeconds(2));
        Job c2 = c1.apply(new JobEvent.Canceled("c", "user", T0.plusSeconds(3)));
        await(store.putJobs(List.of(a1, b1, c2, c1)));
        assertEquals(Map.of("a", a2, "b", b1, "c", c2), await(store.jobs(List.of("a", "b", "c"))));
    }

    @Test
    void queryIsNewestFirstAndFilters() {
        Job old = job("j-old", "image.generate", "sdxl", T0);
        Job mid = job("j-mid", "audio.tts", "piper", T0.plusSeconds(10))
                .apply(new JobEvent.Canceled("j-mid", "user", T0.plusSeconds(11)));
        Job sameTimeA = job("j-same-a", "image.generate", "flux", T0.plusSeconds(20));
        Job sameTimeB = job("j-same-b", "image.generate", "sdxl", T0.plusSeconds(20));
        await(store.putJobs(List.of(old, mid, sameTimeA, sameTimeB)));

        assertEquals(List.of("j-same-b", "j-same-a", "j-mid", "j-old"), ids(await(store.queryJobs(JobQuery.all()))));
        assertEquals(List.of("j-mid"), ids(await(store.queryJobs(JobQuery.all().withStatus(JobStatus.CANCELED)))));
        assertEquals(List.of("j-same-b", "j-same-a", "j-old"),
                ids(await(store.queryJobs(JobQuery.all().withStatus(JobStatus.QUEUED)))));
        assertEquals(List.of("j-mid"), ids(await(store.queryJobs(query(null, "audio.tts", null, null, null)))));
        assertEquals(List.of("j-same-b", "j-old"), ids(await(store.queryJobs(query(null, null, "sdxl", null, null)))));
        assertEquals(List.of("j-same-a"), ids(await(store.queryJobs(query(JobStatus.QUEUED, "image.generate", "flux", null, null)))));
        // since is inclusive, until exclusive
        assertEquals(List.of("j-same-b", "j-same-a", "j-mid"),
                ids(await(store.queryJobs(query(null, null, null, T0.plusSeconds(10), null)))));
        assertEquals(List.of("j-mid", "j-old"), ids(await(store.queryJobs(query(null, null, null, null, T0.plusSeconds(20))))));
        assertEquals(List.of("j-old"), ids(await(store.queryJobs(query(null, null, null, T0, T0.plusNanos(1))))));
        assertEquals(List.of(), ids(await(store.queryJobs(query(null, null, null, T0.minusNanos(2), T0)))));
        assertEquals(List.of("j-same-b", "j-same-a", "j-mid", "j-old"),
                ids(await(store.queryJobs(query(null, null, null, Instant.MIN, Instant.MAX)))), "far bounds still compare");
    }

    @Test
    void pagesWalkEveryJobOnceAndStayStableWhileJobsArrive() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Pairs share a creation time so the id breaks ties; nanos prove full precision.
            jobs.add(job(String.format("j%02d", i), "image.generate", "sdxl", T0.plusSeconds(i / 2).plusNanos(i % 3)));
        }
        await(store.putJobs(jobs));
        List<String> expected = jobs.stream().sorted(io.spindle.model.store.JobCursor.NEWEST_FIRST).map(Job::id).toList();

        List<String> seen = new ArrayList<>();
        JobPage page = await(store.queryJobs(JobQuery.all().withLimit(10)));
        seen.addAll(ids(page));
        int arrivals = 0;
        while (page.nextCursor() != null) {
            // Newer jobs arriving between pages must not shift what the next page shows.
            await(store.putJobs(List.of(job("new" + arrivals++, "image.generate", "sdxl", T0.plusSeconds(1000)))));
            page = await(store.queryJobs(JobQuery.all().withLimit(10).withCursor(page.nextCursor())));
            seen.addAll(ids(page));
        }
        assertEquals(expected, seen);
        assertEquals(2, arrivals, "25 jobs in pages of 10 take two page turns");
    }

    @Test
    void exactlyFullLastPageHasNoCursor() {
        await(store.putJobs(List.of(job("a", "image.generate", "sdxl", T0), job("b", "image.generate", "sdxl", T0.plusSeconds(1)))));
        JobPage page = await(store.queryJobs(JobQuery.all().withLimit(2)));
        assertEquals(List.of("b", "a"), ids(page));
        assertNull(page.nextCursor());
        JobPage first = await(store.queryJobs(JobQuery.all().withLimit(1)));
        assertNotNull(first.nextCursor());
        assertEquals(List.of("a"), ids(await(store.queryJobs(JobQuery.all().withLimit(1).withCursor(first.nextCursor())))));
    }

    @Test
    void badQueriesFailTheStageWithInvalidRequest() {
        assertEquals(ErrorCode.INVALID_REQUEST, failureCode(store.queryJobs(JobQuery.all().withCursor("not a cursor!"))));
        assertEquals(ErrorCode.INVALID_REQUEST, failureCode(store.queryJobs(JobQuery.all().withLimit(0))));
        assertEquals(ErrorCode.INVALID_REQUEST, failureCode(store.queryJobs(JobQuery.all().withLimit(JobQuery.MAX_LIMIT + 1))));
    }

    // ---- configs

    @Test
    void configsAreCreatedOnceAndRoundTrip() {
        ModelConfig sdxl = config("sdxl", 1, T0);
        assertEquals(sdxl, await(store.createConfig(sdxl)));
        assertEquals(ErrorCode.ALREADY_EXISTS, failureCode(store.createConfig(config("sdxl", 1, T0.plusSeconds(1)))));
        await(store.createConfig(config("flux", 1, T0)));
        assertEquals(Optional.of(sdxl), await(store.config("sdxl")));
        assertEquals(Optional.empty(), await(store.config("nope")));
        assertEquals(List.of("flux", "sdxl"), await(store.configs()).stream().map(ModelConfig::id).toList());
        assertEquals(List.of(sdxl), await(store.configVersions("sdxl")));
        assertEquals(List.of(), await(store.configVersions("nope")));
    }

    @Test
    void newVersionsKeepTheOldOnes() {
        ModelConfig v1 = await(store.createConfig(config("sdxl", 1, T0)));
        ModelConfig v2 = v1.nextVersion(config("sdxl", 1, T0).withActive(false), T0.plusSeconds(60));
        assertEquals(v2, await(store.saveConfigVersion(v2)));
        assertEquals(ErrorCode.INVALID_STATE, failureCode(store.saveConfigVersion(v2)), "version 2 exists already");
        ModelConfig v4 = new ModelConfig("sdxl", "skips", 4, List.of("image.generate"), "comfyui", "m", null, null, true, T0);
        assertEquals(ErrorCode.INVALID_STATE, failureCode(store.saveConfigVersion(v4)));
        assertEquals(ErrorCode.CONFIG_NOT_FOUND, failureCode(store.saveConfigVersion(config("nope", 2, T0))));
        assertEquals(Optional.of(v2), await(store.config("sdxl")));
        assertEquals(List.of(v1, v2), await(store.configVersions("sdxl")));
        assertEquals(List.of(v2), await(store.configs()));
    }

    @Test
    void activeFlagFlipsTheLatestVersionInPlace() {
        ModelConfig v1 = await(store.createConfig(config("sdxl", 1, T0)));
        ModelConfig v2 = await(store.saveConfigVersion(v1.nextVersion(v1, T0.plusSeconds(1))));
        ModelConfig off = await(store.setConfigActive("sdxl", false));
        assertEquals(v2.withActive(false), off);
        assertFalse(await(store.config("sdxl")).orElseThrow().isActive());
        assertEquals(List.of(v1, v2.withActive(false)), await(store.configVersions("sdxl")));
        assertTrue(await(store.setConfigActive("sdxl", true)).isActive());
        assertEquals(ErrorCode.CONFIG_NOT_FOUND, failureCode(store.setConfigActive("nope", true)));
    }

    // ---- artifacts

    @Test
    void artifactsRoundTripAndListPerJobOldestFirst() {
        Artifact late = artifact("art-1", "j1", T0.plusSeconds(5));
        Artifact early = artifact("art-2", "j1", T0.plusMillis(500));
        Artifact tieA = artifact("art-3", "j1", T0.plusSeconds(5));
        Artifact other = artifact("art-4", "j2", T0);
        await(store.putArtifacts(List.of(late, early, tieA, other)));
        assertEquals(Optional.of(late), await(store.artifact("art-1")));
        assertEquals(Optional.empty(), await(store.artifact("nope")));
        assertEquals(List.of(early, late, tieA), await(store.artifactsOfJob("j1")));
        assertEquals(List.of(), await(store.artifactsOfJob("nope")));
        Artifact replaced = new Artifact("art-4", "j2", 2, "sdxl-base", 2, "image", "image/png", 99, "cd".repeat(32),
                "s3://spindle/art-4", "w2", "node-b", T0, List.of());
        await(store.putArtifacts(List.of(replaced)));
        assertEquals(List.of(replaced), await(store.artifactsOfJob("j2")));
        await(store.putArtifacts(List.of()));
    }

    // ---- offsets

    @Test
    void offsetsAreStoredPerProjection() {
        assertEquals(Optional.empty(), await(store.offset("jobs")));
        await(store.saveOffset("jobs", 41));
        await(store.saveOffset("jobs", 1L << 40));
        await(store.saveOffset("other", 7));
        assertEquals(Optional.of(1L << 40), await(store.offset("jobs")));
        assertEquals(Optional.of(7L), await(store.offset("other")));
    }

    private static JobQuery query(JobStatus status, String type, String configId, Instant since, Instant until) {
        return new JobQuery(status, type, configId, since, until, JobQuery.DEFAULT_LIMIT, null);
    }

    private static List<String> ids(JobPage page) {
        return page.jobs().stream().map(Job::id).toList();
    }
}
