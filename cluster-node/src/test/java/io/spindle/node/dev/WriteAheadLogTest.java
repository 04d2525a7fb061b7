package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    @TempDir
    Path dir;

    private Path dataFile() {
        return dir.resolve("data.h2");
    }

    /** Every byte value a key's chars can hold, and documents of a few sizes, come back as appended, in order. */
    @Test
    void writtenRecordsAreReplayedInTheOrderAppended() {
        StringBuilder allBytes = new StringBuilder();
        for (char c = 0; c < 256; c++) {
            allBytes.append(c);
        }
        List<WalRecord> appended = List.of(
                WalRecord.put(7, "a", new byte[] {1, 2, 3}),
                WalRecord.put(7, allBytes.toString(), new byte[300_000]),
                WalRecord.remove(7, "a"),
                WalRecord.put(9, "a", new byte[0]));
        WriteAheadLog log = WriteAheadLog.create(dataFile(), List.of());
        appended.forEach(log::append);
        log.awaitWritten();

        List<WalRecord> replayed = replayAll();
        assertEquals(appended.size(), replayed.size());
        for (int i = 0; i < appended.size(); i++) {
            assertSame(appended.get(i), replayed.get(i));
        }
        log.close();
    }

    /** A record appended but never written (the process died before a command awaited it) is not on disk. */
    @Test
    void aRecordIsOnDiskOnlyOnceWritten() {
        WriteAheadLog log = WriteAheadLog.create(dataFile(), List.of());
        log.append(WalRecord.put(1, "k", new byte[] {1}));
        assertEquals(List.of(), replayAll());
        log.awaitWritten();
        assertEquals(1, replayAll().size());
        log.close();
    }

    /** A write torn by a crash, or a damaged record, ends the replay there: later records could depend on it. */
    @Test
    void theReplayEndsAtATornOrDamagedRecord() throws IOException {
        WriteAheadLog log = WriteAheadLog.create(dataFile(), List.of());
        for (int i = 0; i < 3; i++) {
            log.append(WalRecord.put(1, "k" + i, new byte[] {(byte) i}));
        }
        log.awaitWritten();
        log.roll();
        log.append(WalRecord.put(1, "next segment", new byte[] {9}));
        log.awaitWritten();
        log.close();
        List<Path> segments = WriteAheadLog.segments(dataFile());
        assertEquals(2, segments.size());
        assertEquals(4, replayAll().size());

        try (RandomAccessFile first = new RandomAccessFile(segments.get(0).toFile(), "rw")) {
            first.setLength(first.length() - 1);
        }
        assertEquals(List.of("k0", "k1"), keys(replayAll()), "the torn third record and the segment after it are not replayed");

        try (RandomAccessFile first = new RandomAccessFile(segments.get(0).toFile(), "rw")) {
            first.seek(WalRecord.HEADER_BYTES + 2); // in the first record's map id
            first.write(0x7f);
        }
        assertEquals(List.of(), keys(replayAll()), "the damaged first record ends the replay before it");
    }

    /**
     * A roll answers the segments that a commit now makes obsolete, and discarding deletes them; with nothing
     * appended since, a roll begins no segment and the log is settled.
     */
    @Test
    void aRollAnswersTheSegmentsACommitMakesObsolete() {
        WriteAheadLog log = WriteAheadLog.create(dataFile(), List.of());
        assertTrue(log.isSettled());
        log.append(WalRecord.put(1, "k", new byte[] {1}));
        assertFalse(log.isSettled());
        List<Path> held = log.roll();
        assertEquals(1, held.size());
        assertTrue(Files.exists(held.get(0)));
        assertFalse(log.isSettled(), "the rolled segment is still on disk");

        log.discard(held);
        assertFalse(Files.exists(held.get(0)));
        assertTrue(log.isSettled());
        assertEquals(List.of(), log.roll());
        assertEquals(1, WriteAheadLog.segments(dataFile()).size(), "only the current, empty segment");

        log.closeAndDelete();
        assertEquals(List.of(), WriteAheadLog.segments(dataFile()));
    }

    /** A new log numbers its segments after those found at open, so the order of a later replay holds. */
    @Test
    void aNewLogBeginsAfterTheSegmentsLeftOver() {
        WriteAheadLog first = WriteAheadLog.create(dataFile(), List.of());
        first.append(WalRecord.put(1, "old", new byte[] {1}));
        first.awaitWritten();
        first.close();
        WriteAheadLog second = WriteAheadLog.create(dataFile(), WriteAheadLog.segments(dataFile()));
        second.append(WalRecord.put(1, "new", new byte[] {2}));
        second.awaitWritten();
        second.close();
        assertEquals(List.of("old", "new"), keys(replayAll()));
    }

    @Test
    void segmentsArePrivateToTheUser() throws IOException {
        WriteAheadLog log = WriteAheadLog.create(dataFile(), List.of());
        log.append(WalRecord.put(1, "k", new byte[] {1}));
        log.awaitWritten();
        for (Path segment : WriteAheadLog.segments(dataFile())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(segment)));
        }
        log.close();
    }

    private List<WalRecord> replayAll() {
        List<WalRecord> records = new ArrayList<>();
        WriteAheadLog.replay(WriteAheadLog.segments(dataFile()), records::add);
        return records;
    }

    private static List<String> keys(List<WalRecord> records) {
        return records.stream().map(WalRecord::key).toList();
    }

    private static void assertSame(WalRecord expected, WalRecord actual) {
        assertEquals(expected.kind(), actual.kind());
        assertEquals(expected.mapId(), actual.mapId());
        assertEquals(expected.key(), actual.key());
        if (expected.document() == null) {
            assertEquals(null, actual.document());
        } else {
            assertArrayEquals(expected.document(), actual.document());
        }
    }
}
