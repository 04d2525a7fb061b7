package io.spindle.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Focused checks of the in-memory store; the full contract runs in cluster-node's ReadStoreContract. */
class InMemoryReadStoreTest {
    private final InMemoryReadStore store = new InMemoryReadStore();

    @Test
    void badCursorFailsTheStageInsteadOfThrowing() {
        assertEquals(ErrorCode.INVALID_REQUEST, failure(store.queryJobs(JobQuery.all().withCursor("garbage"))));
    }

    @Test
    void limitOutsideItsRangeFailsTheStage() {
        store.putJobs(List.of(JobCursorTest.job("a", Instant.EPOCH)));
        assertEquals(ErrorCode.INVALID_REQUEST, failure(store.queryJobs(JobQuery.all().withLimit(0))));
        assertEquals(ErrorCode.INVALID_REQUEST, failure(store.queryJobs(JobQuery.all().withLimit(JobQuery.MAX_LIMIT + 1))));
    }

    @Test
    void pagesOfOneWalkEveryJob() throws Exception {
        Instant t = Instant.parse("2026-11-28T10:00:00Z");
        store.putJobs(List.of(JobCursorTest.job("a", t), JobCursorTest.job("b", t), JobCursorTest.job("c", t.minusNanos(1))));
        JobPage page = store.queryJobs(JobQuery.all().withLimit(1)).toCompletableFuture().get();
        StringBuilder seen = new StringBuilder(page.jobs().get(0).id());
        while (page.nextCursor() != null) {
            page = store.queryJobs(JobQuery.all().withLimit(1).withCursor(page.nextCursor())).toCompletableFuture().get();
            page.jobs().forEach(j -> seen.append(j.id()));
        }
        assertEquals("bac", seen.toString());
    }

    private static ErrorCode failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get());
        return assertInstanceOf(SpindleException.class, e.getCause()).error().code();
    }
}
