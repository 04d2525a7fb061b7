package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.T0;
import static io.spindle.model.testsupport.StoreFixtures.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobViewFoldTest {
    private static final List<JobEvent> HISTORY = List.of(
            submitted("j1", "image.generate", "sdxl", T0),
            new JobEvent.Leased("j1", 1, "node-a", "w1", T0.plusSeconds(60), T0.plusSeconds(1)),
            new JobEvent.Started("j1", 1, T0.plusSeconds(2)),
            new JobEvent.RetryScheduled("j1", 1, JobError.transientError("oom", "out of memory"), T0.plusSeconds(9), T0.plusSeconds(3)),
            new JobEvent.Leased("j1", 2, "node-b", "w2", T0.plusSeconds(70), T0.plusSeconds(10)),
            new JobEvent.Succeeded("j1", 2, null, List.of("a1"), T0.plusSeconds(11)));

    @Test
    void foldsEventsInOrderLikeTheEntity() {
        JobViewFold fold = new JobViewFold(Map.of());
        for (int i = 0; i < HISTORY.size(); i++) {
            fold.add("job|j1", i + 1, HISTORY.get(i));
        }
        assertEquals(Map.of("j1", expected(HISTORY.size())), fold.changed());
        assertEquals(JobStatus.SUCCEEDED, fold.changed().get("j1").status());
        assertEquals(Map.of(), fold.gaps());
    }

    @Test
    void duplicatesAndReplaysNeverApplyTwice() {
        JobViewFold fold = new JobViewFold(Map.of("j1", expected(3)));
        for (int i = 0; i < HISTORY.size(); i++) {
            fold.add("job|j1", i + 1, HISTORY.get(i)); // 1..3 are already in the stored view
            fold.add("job|j1", i + 1, HISTORY.get(i)); // and every event arrives twice
        }
        assertEquals(expected(HISTORY.size()), fold.changed().get("j1"));
        assertEquals(Map.of(), fold.gaps());
    }

    @Test
    void nothingNewChangesNothing() {
        JobViewFold fold = new JobViewFold(Map.of("j1", expected(6)));
        fold.add("job|j1", 2, HISTORY.get(1));
        assertEquals(Map.of(), fold.changed());
    }

    @Test
    void aSkippedSequenceNumberMarksAGapAndHoldsTheJobsLaterEvents() {
        JobViewFold fold = new JobViewFold(Map.of("j1", expected(2)));
        fold.add("job|j1", 3, HISTORY.get(2));
        fold.add("job|j1", 5, HISTORY.get(4));
        fold.add("job|j1", 6, HISTORY.get(5));
        assertEquals(Map.of("j1", "job|j1"), fold.gaps());
        assertEquals(expected(3), fold.view("j1"), "events before the gap are folded; the rebuild continues from there");
        assertEquals(6, fold.highestSeen("j1"));
    }

    @Test
    void anUnknownJobSeenMidHistoryIsAGap() {
        JobViewFold fold = new JobViewFold(Map.of());
        fold.add("job|j1", 4, HISTORY.get(3));
        assertEquals(Map.of("j1", "job|j1"), fold.gaps());
        assertEquals(Map.of(), fold.changed());
    }

    @Test
    void aHistoryThatDoesNotStartWithASubmissionHasNoView() {
        JobViewFold fold = new JobViewFold(Map.of());
        fold.add("job|j1", 1, HISTORY.get(1));
        assertNull(fold.view("j1"));
        assertEquals(Map.of(), fold.changed());
    }

    @Test
    void jobsFoldIndependently() {
        JobViewFold fold = new JobViewFold(Map.of());
        JobEvent.Submitted other = submitted("j2", "audio.tts", "piper", T0);
        fold.add("job|j1", 1, HISTORY.get(0));
        fold.add("job|j2", 1, other);
        fold.add("job|j1", 2, HISTORY.get(1));
        fold.add("job|j2", 2, new JobEvent.Canceled("j2", "user", T0.plusSeconds(1)));
        assertEquals(expected(2), fold.changed().get("j1"));
        assertEquals(JobStatus.CANCELED, fold.changed().get("j2").status());
        assertEquals(2, fold.changed().get("j2").revision());
    }

    /** The view after the first {@code n} events of HISTORY. */
    private static Job expected(int n) {
        Job job = Job.submitted((JobEvent.Submitted) HISTORY.get(0));
        for (int i = 1; i < n; i++) {
            job = job.apply(HISTORY.get(i));
        }
        return job;
    }
}
