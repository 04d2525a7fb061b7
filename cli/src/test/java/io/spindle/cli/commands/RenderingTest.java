package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RenderingTest {

    @Test
    void tableColumnsAlignOnTheWidestCellWithoutTrailingSpaces() {
        TextTable t = new TextTable("A", "LONG HEADER", "C").row("wide cell", null, "x").row("b", "y", "");
        assertEquals("A          LONG HEADER  C\nwide cell  -            x\nb          y            -\n", t.render());
    }

    @Test
    void aRowMustHaveEveryColumn() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable("A", "B").row("only one"));
    }

    @Test
    void keyValuesAlignTheValuesAndLeaveNullsOut() {
        String s = new KeyValues().put("id", "j1").put("missing", null).put("status", "running").put("note", "two\nlines").render();
        assertEquals("id:     j1\nstatus: running\nnote:   two\n        lines\n", s);
    }

    @Test
    void durationsReadShort() {
        assertEquals("850ms", Formats.duration(Duration.ofMillis(850)));
        assertEquals("12.3s", Formats.duration(Duration.ofMillis(12_345)));
        assertEquals("4m05s", Formats.duration(Duration.ofSeconds(245)));
        assertEquals("2h03m", Formats.duration(Duration.ofMinutes(123)));
        assertEquals("0ms", Formats.duration(Duration.ofMillis(-5)));
    }

    @Test
    void sizesReadInBinaryUnits() {
        assertEquals("512 B", Formats.bytes(512));
        assertEquals("1.5 KiB", Formats.bytes(1536));
        assertEquals("3.0 MiB", Formats.bytes(3L * 1024 * 1024));
    }

    @Test
    void timesAreInstantsLocalTimesDatesOrAges() {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertEquals(Instant.parse("2026-11-28T10:00:00Z"), TimeArgument.parse("2026-11-28T10:00:00Z", now, paris));
        assertEquals(Instant.parse("2026-11-28T09:00:00Z"), TimeArgument.parse("2026-11-28T10:00:00+01:00", now, paris));
        assertEquals(Instant.parse("2026-11-28T09:00:00Z"), TimeArgument.parse("2026-11-28T10:00", now, paris));
        assertEquals(Instant.parse("2026-11-27T23:00:00Z"), TimeArgument.parse("2026-11-28", now, paris));
        assertEquals(Instant.parse("2026-11-28T11:45:00Z"), TimeArgument.parse("15m", now, paris));
        assertEquals(Instant.parse("2026-11-28T10:00:00Z"), TimeArgument.parse("2h", now, paris));
        assertEquals(Instant.parse("2026-11-25T12:00:00Z"), TimeArgument.parse("3d", now, paris));
        assertEquals(Instant.parse("2026-11-28T11:58:30Z"), TimeArgument.parse("90s", now, paris));
        assertThrows(CommandLine.TypeConversionException.class, () -> TimeArgument.parse("yesterday", now, paris));
    }
}
