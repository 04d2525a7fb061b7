package io.spindle.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static List<SseEvent> read(String stream) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))) {
            SseEvent e;
            while ((e = reader.next()) != null) {
                events.add(e);
            }
        }
        return events;
    }

    @Test
    void readsIdEventAndDataOfEachEvent() throws IOException {
        List<SseEvent> events = read("id: 1\nevent: submitted\ndata: {\"seq_nr\":1}\n\nid: 2\nevent: leased\ndata: {\"seq_nr\":2}\n\n");
        assertEquals(List.of(new SseEvent("1", "submitted", "{\"seq_nr\":1}"), new SseEvent("2", "leased", "{\"seq_nr\":2}")), events);
    }

    @Test
    void joinsDataLinesWithNewlinesAndDropsOnlyOneLeadingSpace() throws IOException {
        assertEquals(List.of(new SseEvent(null, "message", "first\n  second\nthird")),
                read("data: first\ndata:   second\ndata:third\n\n"));
    }

    @Test
    void ignoresCommentsKeepAlivesAndUnknownFields() throws IOException {
        assertEquals(List.of(new SseEvent("7", "x", "d")), read(": keep-alive\n\n:\nretry: 100\nfoo: bar\nid: 7\nevent: x\ndata: d\n\n"));
    }

    @Test
    void anEventWithoutDataIsNotDispatchedButItsIdCarriesOver() throws IOException {
        assertEquals(List.of(new SseEvent("5", "message", "after")), read("id: 5\nevent: lonely\n\ndata: after\n\n"));
    }

    @Test
    void acceptsCrLfAndCrLineEnds() throws IOException {
        assertEquals(List.of(new SseEvent("1", "a", "x"), new SseEvent("2", "b", "y")),
                read("id: 1\r\nevent: a\r\ndata: x\r\n\r\nid: 2\revent: b\rdata: y\r\r"));
    }

    @Test
    void anUnfinishedEventAtTheEndOfTheStreamIsDropped() throws IOException {
        assertEquals(List.of(new SseEvent(null, "message", "done")), read("data: done\n\ndata: half"));
    }

    @Test
    void aFieldWithoutColonHasAnEmptyValue() throws IOException {
        assertEquals(List.of(new SseEvent(null, "message", "")), read("data\n\n"));
    }

    @Test
    void anEmptyStreamHasNoEvents() throws IOException {
        try (SseReader reader = new SseReader(new ByteArrayInputStream(new byte[0]))) {
            assertNull(reader.next());
        }
    }
}
