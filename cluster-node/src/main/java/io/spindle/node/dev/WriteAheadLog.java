package io.spindle.node.dev;

import io.spindle.bridge.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The embedded store's write-ahead log: the changes to collections' documents since the store's last commit, in the
 * order they were made, in segment files beside the store's file ({@code <file>.wal.<n>}, 0600). A change is appended
 * to a buffer as it is made; {@link #awaitWritten} writes the buffer to the current segment (the OS page cache, so a
 * killed process loses nothing written), one writer for everything appended meanwhile. {@link #roll} starts a new
 * segment and answers the ones before it, which a commit of the store holding their changes makes obsolete
 * ({@link #discard}). After a crash, the segments left are {@link #replay replayed} in order onto the last commit: a
 * record holds a whole document or a removal, so replaying one the commit already holds changes nothing.
 */
final class WriteAheadLog implements AutoCloseable {
    private static final String SUFFIX = ".wal.";
    private static final int INITIAL_BUFFER = 256 * 1024;
    /** A buffer grown past this for a burst is let go once written, so a burst does not keep its memory. */
    private static final int RETAINED_BUFFER = 4 * 1024 * 1024;

    private final Path dataFile;
    private final Object appendLock = new Object();
    /** Held while writing to or rolling the segment; taken before {@link #appendLock} where both are. */
    private final Object writeLock = new Object();
    /**
     * Records appended and not yet written; guarded by {@link #appendLock}. Direct, as both buffers: a heap buffer
     * would be copied into a temporary direct one for every write.
     */
    private ByteBuffer pending = ByteBuffer.allocateDirect(INITIAL_BUFFER);
    /** The other buffer, swapped with {@link #pending} at each write; guarded by {@link #writeLock}. */
    private ByteBuffer spare = ByteBuffer.allocateDirect(INITIAL_BUFFER);
    /** Bytes appended since the log opened; written under {@link #appendLock}. */
    private volatile long appended;
    /** Bytes written to segments since the log opened; written under {@link #writeLock}. */
    private volatile long written;
    /** {@link #written} when the current segment began: what the segments before it hold. */
    private long writtenAtRoll;
    private volatile IOException failure;
    private long segmentNumber;
    private Path segmentPath;
    private FileChannel segment;
    /** Segments written before the current one, not yet discarded. */
    private final List<Path> rolled = new ArrayList<>();

    private WriteAheadLog(Path dataFile, long firstSegment) {
        this.dataFile = dataFile;
        this.segmentNumber = firstSegment - 1;
    }

    /** A log for {@code dataFile} that begins a segment numbered after {@code leftOver} (the segments found at open). */
    static WriteAheadLog create(Path dataFile, List<Path> leftOver) {
        long next = leftOver.isEmpty() ? 1 : numberOf(leftOver.get(leftOver.size() - 1)) + 1;
        WriteAheadLog log = new WriteAheadLog(dataFile, next);
        synchronized (log.writeLock) {
            try {
                log.openNextSegment();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the write-ahead log of " + dataFile, e);
            }
        }
        return log;
    }

    /** The segments of {@code dataFile}'s log on disk, oldest first. */
    static List<Path> segments(Path dataFile) {
        Path dir = dataFile.toAbsolutePath().getParent();
        String prefix = dataFile.getFileName() + SUFFIX;
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> isSegment(file.getFileName().toString(), prefix))
                    .sorted((a, b) -> Long.compare(numberOf(a), numberOf(b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the write-ahead log of " + dataFile, e);
        }
    }

    /**
     * Hands the records of {@code segments} to {@code apply}, oldest first, and answers how many. Stops at the first
     * record cut short or damaged (a write torn by a power loss): what follows it could depend on what was lost.
     */
    static long replay(List<Path> segments, Consumer<WalRecord> apply) {
        long count = 0;
        for (Path file : segments) {
            ByteBuffer in;
            try {
                in = ByteBuffer.wrap(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the write-ahead log segment " + file, e);
            }
            while (in.hasRemaining()) {
                WalRecord record = WalRecord.readFrom(in);
                if (record == null) {
                    return count;
                }
                apply.accept(record);
                count++;
            }
        }
        return count;
    }

    /** Deletes segments whose changes a commit of the store holds. */
    static void delete(List<Path> segments) {
        for (Path file : segments) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the write-ahead log segment " + file, e);
            }
        }
    }

    /** Appends {@code record}; it is on disk once a later {@link #awaitWritten} returns. */
    void append(WalRecord record) {
        IOException failed = failure;
        if (failed != null) {
            throw new IllegalStateException("the write-ahead log of " + dataFile + " failed: " + failed, failed);
        }
        int size = WalRecord.size(record.key(), record.document());
        synchronized (appendLock) {
            if (pending.remaining() < size) {
                ByteBuffer larger = ByteBuffer.allocateDirect(Math.max(pending.capacity() * 2, pending.position() + size));
                larger.put(pending.flip());
                pending = larger;
            }
            record.writeTo(pending);
            appended += size;
        }
    }

    /** Returns once everything appended before the call is written to the current segment. */
    void awaitWritten() {
        long target = appended;
        if (written >= target) {
            return;
        }
        synchronized (writeLock) {
            if (written < target) {
                writePending();
            }
        }
    }

    /**
     * Writes what is pending, closes the current segment and begins the next; answers every segment before the new
     * one that is not discarded yet (if nothing was written since the last roll, no segment begins). Every change
     * recorded in the answered segments was made before this call returned.
     */
    List<Path> roll() {
        synchronized (writeLock) {
            writePending();
            if (written == writtenAtRoll) {
                return List.copyOf(rolled);
            }
            try {
                segment.close();
                rolled.add(segmentPath);
                openNextSegment();
            } catch (IOException e) {
                throw fail(e);
            }
            writtenAtRoll = written;
            return List.copyOf(rolled);
        }
    }

    /** True if every change appended is in a segment already discarded: a commit would not let any go. */
    boolean isSettled() {
        synchronized (writeLock) {
            return appended == writtenAtRoll && rolled.isEmpty();
        }
    }

    /** Deletes rolled segments whose changes a commit of the store now holds. */
    void discard(List<Path> segments) {
        synchronized (writeLock) {
            delete(segments);
            rolled.removeAll(segments);
        }
    }

    /** True once a write failed: the changes appended since may not be on disk, so the store must not go on. */
    boolean failed() {
        return failure != null;
    }

    /** Closes the current segment, keeping every segment on disk (for a replay if the store was not committed). */
    @Override
    public void close() {
        synchronized (writeLock) {
            try {
                segment.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the write-ahead log segment " + segmentPath, e);
            }
        }
    }

    /** Closes the log and deletes its segments: the store's final commit holds every change. */
    void closeAndDelete() {
        close();
        synchronized (writeLock) {
            delete(rolled);
            rolled.clear();
            delete(List.of(segmentPath));
        }
    }

    private void writePending() {
        ByteBuffer full;
        long end;
        synchronized (appendLock) {
            full = pending;
            end = appended;
            pending = spare.clear();
        }
        try {
            full.flip();
            while (full.hasRemaining()) {
                segment.write(full);
            }
        } catch (IOException e) {
            throw fail(e);
        }
        spare = full.capacity() > RETAINED_BUFFER ? ByteBuffer.allocateDirect(INITIAL_BUFFER) : full.clear();
        written = end;
    }

    private UncheckedIOException fail(IOException e) {
        failure = e;
        return new UncheckedIOException("cannot write the write-ahead log of " + dataFile, e);
    }

    private void openNextSegment() throws IOException {
        segmentNumber++;
        segmentPath = dataFile.resolveSibling(dataFile.getFileName() + SUFFIX + String.format("%012d", segmentNumber));
        PrivateFiles.file(segmentPath);
        segment = FileChannel.open(segmentPath, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static boolean isSegment(String name, String prefix) {
        if (!name.startsWith(prefix) || name.length() == prefix.length()) {
            return false;
        }
        for (int i = prefix.length(); i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long numberOf(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('.') + 1));
    }
}
