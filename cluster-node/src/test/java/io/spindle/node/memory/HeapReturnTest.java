package io.spindle.node.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeapReturnTest {
    private final HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    private String minBefore;
    private String maxBefore;

    @BeforeEach
    void rememberOptions() {
        minBefore = vm.getVMOption(HeapReturn.MIN_FREE).getValue();
        maxBefore = vm.getVMOption(HeapReturn.MAX_FREE).getValue();
    }

    @AfterEach
    void restoreOptions() {
        // Widest first, so each step keeps min <= max.
        vm.setVMOption(HeapReturn.MIN_FREE, "0");
        vm.setVMOption(HeapReturn.MAX_FREE, maxBefore);
        vm.setVMOption(HeapReturn.MIN_FREE, minBefore);
    }

    @Test
    void lowersTheFreeRatiosOfTheRunningJvm() {
        Map<String, String> applied = HeapReturn.apply(new MemorySettings(true, 10, 30, Duration.ZERO, 10, Duration.ZERO));

        assertEquals("10", vm.getVMOption(HeapReturn.MIN_FREE).getValue());
        assertEquals("30", vm.getVMOption(HeapReturn.MAX_FREE).getValue());
        assertEquals(Map.of(HeapReturn.MIN_FREE, "10", HeapReturn.MAX_FREE, "30"), applied);
    }

    @Test
    void raisesThemTooWhenTheNewMinimumIsAboveTheOldMaximum() {
        HeapReturn.apply(new MemorySettings(true, 10, 30, Duration.ZERO, 10, Duration.ZERO));

        HeapReturn.apply(new MemorySettings(true, 50, 80, Duration.ZERO, 10, Duration.ZERO));

        assertEquals("50", vm.getVMOption(HeapReturn.MIN_FREE).getValue());
        assertEquals("80", vm.getVMOption(HeapReturn.MAX_FREE).getValue());
    }

    @Test
    void leavesTheJvmAloneWhenSwitchedOff() {
        assertEquals(Map.of(), HeapReturn.apply(new MemorySettings(false, 10, 30, Duration.ofSeconds(30), 10, Duration.ZERO)));

        assertEquals(minBefore, vm.getVMOption(HeapReturn.MIN_FREE).getValue());
        assertEquals(maxBefore, vm.getVMOption(HeapReturn.MAX_FREE).getValue());
    }

    @Test
    void refusesAMinimumAboveTheMaximum() {
        assertThrows(IllegalArgumentException.class, () -> new MemorySettings(true, 40, 30, Duration.ZERO, 10, Duration.ZERO));
    }

    @Test
    void trimsTheNativeHeapWhereTheJvmCan() {
        // This JDK (17.0.15) has System.trim_native_heap; the report names RSS before and after.
        NativeHeapTrim trim = NativeHeapTrim.available().orElseThrow();

        String report = trim.trim();

        assertTrue(report.startsWith("Trim native heap"), report);
    }
}
