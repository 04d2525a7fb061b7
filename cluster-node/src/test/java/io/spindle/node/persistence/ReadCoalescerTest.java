package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ReadCoalescerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int ABSENT = -1;

    /** A store whose commands stay open until the test answers them; it finds every key but "missing". */
    private static final class HeldCommands {
        final List<List<String>> keys = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Map<String, Integer>>> answers = new CopyOnWriteArrayList<>();

        CompletionStage<Map<String, Integer>> read(List<String> batch) {
            CompletableFuture<Map<String, Integer>> answer = new CompletableFuture<>();
            keys.add(batch);
            answers.add(answer);
            return answer;
        }

        void answer(int command) {
            Map<String, Integer> found = new HashMap<>();
            keys.get(command).stream().filter(key -> !key.equals("missing")).forEach(key -> found.put(key, key.length()));
            answers.get(command).complete(found);
        }
    }

    private static ReadCoalescer<String, Integer> coalescer(HeldCommands store, int maxIds, int maxInFlight, Duration timeout) {
        return new ReadCoalescer<>("test", new ReadBatchSettings(maxIds, maxInFlight, timeout), store::read, ABSENT);
    }

    private static int value(CompletionStage<Integer> read) throws Exception {
        return read.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void readsArrivingWhileACommandRunsLeaveTogetherInTheNextOne() throws Exception {
        HeldCommands store = new HeldCommands();
        ReadCoalescer<String, Integer> reads = coalescer(store, 3, 1, TIMEOUT);

        CompletionStage<Integer> a = reads.read("a");
        CompletionStage<Integer> bb = reads.read("bb");
        CompletionStage<Integer> ccc = reads.read("ccc");
        CompletionStage<Integer> dddd = reads.read("dddd");
        CompletionStage<Integer> eeeee = reads.read("eeeee");
        assertEquals(List.of(List.of("a")), store.keys);

        store.answer(0);
        assertEquals(1, value(a));
        assertEquals(List.of("bb", "ccc", "dddd"), store.keys.get(1), "max-ids per command");
        assertFalse(bb.toCompletableFuture().isDone());

        store.answer(1);
        assertEquals(List.of(2, 3, 4), List.of(value(bb), value(ccc), value(dddd)));
        assertEquals(List.of("eeeee"), store.keys.get(2));
        store.answer(2);
        assertEquals(5, value(eeeee));
        assertEquals(3, store.keys.size());
    }

    @Test
    void callersOfTheSameKeyShareItAndAKeyNotFoundGetsTheAbsentAnswer() throws Exception {
        HeldCommands store = new HeldCommands();
        ReadCoalescer<String, Integer> reads = coalescer(store, 2, 1, TIMEOUT);

        CompletionStage<Integer> first = reads.read("x");
        CompletionStage<Integer> again = reads.read("yy");
        CompletionStage<Integer> sameKey = reads.read("yy");
        CompletionStage<Integer> missing = reads.read("missing");
        store.answer(0);

        assertEquals(List.of("yy", "missing"), store.keys.get(1), "a key asked twice is looked up once");
        store.answer(1);
        assertEquals(1, value(first));
        assertEquals(2, value(again));
        assertEquals(2, value(sameKey));
        assertEquals(ABSENT, value(missing));
    }

    @Test
    void aFailedCommandFailsOnlyItsCallersAndLaterReadsWork() throws Exception {
        HeldCommands store = new HeldCommands();
        ReadCoalescer<String, Integer> reads = coalescer(store, 10, 1, TIMEOUT);

        CompletionStage<Integer> failing = reads.read("a");
        CompletionStage<Integer> queued1 = reads.read("bb");
        CompletionStage<Integer> queued2 = reads.read("ccc");
        IllegalStateException cause = new IllegalStateException("connection reset");
        store.answers.get(0).completeExceptionally(cause);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> value(failing));
        assertSame(cause, failed.getCause());
        assertEquals(List.of("bb", "ccc"), store.keys.get(1));
        store.answer(1);
        assertEquals(2, value(queued1));
        assertEquals(3, value(queued2));

        CompletionStage<Integer> later = reads.read("dddd");
        store.answer(2);
        assertEquals(4, value(later));
    }

    @Test
    void aCommandThatNeverAnswersFailsItsCallersAndFreesItsSlot() throws Exception {
        HeldCommands store = new HeldCommands();
        ReadCoalescer<String, Integer> reads = coalescer(store, 10, 1, Duration.ofMillis(200));

        CompletionStage<Integer> hanging = reads.read("a");
        CompletionStage<Integer> queued = reads.read("bb");

        ExecutionException failed = assertThrows(ExecutionException.class, () -> value(hanging));
        assertInstanceOf(TimeoutException.class, failed.getCause());
        assertEquals(List.of("bb"), store.keys.get(1));
        store.answer(1);
        assertEquals(2, value(queued));
    }

    @Test
    void aReadThatThrowsInsteadOfAnsweringFailsItsCallers() throws Exception {
        ReadCoalescer<String, Integer> reads = new ReadCoalescer<>("test", new ReadBatchSettings(10, 1, TIMEOUT),
                keys -> {
                    throw new IllegalArgumentException("bad filter");
                }, ABSENT);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> value(reads.read("a")));
        assertInstanceOf(IllegalArgumentException.class, failed.getCause());
        ExecutionException again = assertThrows(ExecutionException.class, () -> value(reads.read("b")));
        assertInstanceOf(IllegalArgumentException.class, again.getCause(), "the slot was freed");
    }
}
