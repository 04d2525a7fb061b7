package io.spindle.model.store;

import static io.spindle.model.testsupport.StoreFixtures.T0;
import static io.spindle.model.testsupport.StoreFixtures.await;
import static io.spindle.model.testsupport.StoreFixtures.failureCode;
import static io.spindle.model.testsupport.StoreFixtures.fullJob;
import static io.spindle.model.testsupport.StoreFixtures.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobViewStore} promises, run once against each implementation (in memory here, MongoDB in
 * cluster-node) by a subclass that supplies a fresh, empty store per test.
 */
public abstract class JobViewStoreContract {
    protected JobViewStore store;

    protected abstract JobViewStore newStore();

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

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
    void countsEveryStatusIncludingEmptyOnes() {
        Job queued = job("c-queued", "image.generate", "sdxl", T0);
        Job canceled = job("c-canceled", "audio.tts", "piper", T0.plusSeconds(1))
                .apply(new JobEvent.Canceled("c-canceled", "user", T0.plusSeconds(2)));
        Job otherQueued = job("c-queued-2", "image.generate", "flux", T0.plusSeconds(3));
        await(store.putJobs(List.of(queued, canceled, otherQueued)));

        Map<JobStatus, Long> counts = await(store.countByStatus());
        assertEquals(JobStatus.values().length, counts.size(), "every status is present");
        assertEquals(2L, counts.get(JobStatus.QUEUED));
        assertEquals(1L, counts.get(JobStatus.CANCELED));
        assertEquals(0L, counts.get(JobStatus.RUNNING));
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
    void labelFilterMatchesKeyAndValueExactlyEvenWithDotsInTheKey() {
        Job vision = labeled("j-vision", T0, Map.of("team", "vision", "app.kubernetes.io/name", "sdxl"));
        Job audio = labeled("j-audio", T0.plusSeconds(1), Map.of("team", "audio"));
        Job none = job("j-none", "image.generate", "sdxl", T0.plusSeconds(2));
        await(store.putJobs(List.of(vision, audio, none)));

        assertEquals(List.of("j-vision"), ids(await(store.queryJobs(JobQuery.all().withLabel(new LabelFilter("team", "vision"))))));
        assertEquals(List.of("j-vision"),
                ids(await(store.queryJobs(JobQuery.all().withLabel(new LabelFilter("app.kubernetes.io/name", "sdxl"))))));
        assertEquals(List.of(), ids(await(store.queryJobs(JobQuery.all().withLabel(new LabelFilter("team", "visio"))))));
        assertEquals(List.of(), ids(await(store.queryJobs(JobQuery.all().withLabel(new LabelFilter("app", "sdxl"))))),
                "a dotted key is one key, not a path");
        assertEquals(List.of("j-audio"),
                ids(await(store.queryJobs(JobQuery.all().withLabel(new LabelFilter("team", "audio")).withStatus(JobStatus.QUEUED)))));
        assertEquals(vision, await(store.job("j-vision")).orElseThrow(), "the view reads back without what the store derived");
    }

    @Test
    void pagesWalkEveryJobOnceAndStayStableWhileJobsArrive() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Pairs share a creation time so the id breaks ties; nanos prove full precision.
            jobs.add(job(String.format("j%02d", i), "image.generate", "sdxl", T0.plusSeconds(i / 2).plusNanos(i % 3)));
        }
        await(store.putJobs(jobs));
        List<String> expected = jobs.stream().sorted(JobCursor.NEWEST_FIRST).map(Job::id).toList();

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

    @Test
    void pagesOfOneBreakTiesById() {
        Instant t = Instant.parse("2026-11-28T10:00:00Z");
        await(store.putJobs(List.of(job("a", "image.generate", "sdxl", t), job("b", "image.generate", "sdxl", t),
                job("c", "image.generate", "sdxl", t.minusNanos(1)))));
        List<String> seen = new ArrayList<>();
        JobPage page = await(store.queryJobs(JobQuery.all().withLimit(1)));
        seen.addAll(ids(page));
        while (page.nextCursor() != null) {
            page = await(store.queryJobs(JobQuery.all().withLimit(1).withCursor(page.nextCursor())));
            seen.addAll(ids(page));
        }
        assertEquals(List.of("b", "a", "c"), seen, "same creation time: higher id first; a cursor between them splits the tie");
    }

    private static JobQuery query(JobStatus status, String type, String configId, Instant since, Instant until) {
        return new JobQuery(status, type, configId, null, since, until, JobQuery.DEFAULT_LIMIT, null);
    }

    private static Job labeled(String id, Instant createdAt, Map<String, String> labels) {
        JobSpec spec = new JobSpec("image.generate", "sdxl", io.spindle.model.json.Json.object(), 0, 3, 60, null, labels);
        return Job.submitted(new JobEvent.Submitted(id, spec, 3, null, createdAt));
    }

    private static List<String> ids(JobPage page) {
        return page.jobs().stream().map(Job::id).toList();
    }
}
