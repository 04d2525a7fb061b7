package io.spindle.node.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the JVM give heap back after a burst, by setting the few heap-sizing options a running JVM accepts
 * ("manageable" ones) — the node cannot pass itself -Xmx, but these are what keep an idle node's heap near its live
 * data (with {@link IdleCollection}). An option given on the command line, in JAVA_TOOL_OPTIONS or in a flags file is
 * left as the operator set it.
 */
public final class HeapReturn {
    private static final Logger log = LoggerFactory.getLogger(HeapReturn.class);
    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";
    private static final Set<VMOption.Origin> SET_BY_OPERATOR =
            Set.of(VMOption.Origin.VM_CREATION, VMOption.Origin.ENVIRON_VAR, VMOption.Origin.CONFIG_FILE);

    private HeapReturn() {}

    /** Applies {@code settings} to this JVM; returns the options it set, by name (for the log and tests). */
    public static Map<String, String> apply(MemorySettings settings) {
        if (!settings.returnHeap()) {
            return Map.of();
        }
        Map<String, String> applied = setFreeRatios(settings.minHeapFreeRatio(), settings.maxHeapFreeRatio());
        if (!applied.isEmpty()) {
            log.info("Heap returned to the OS when idle: {}", applied);
        }
        return applied;
    }

    /** Sets the free ratios the operator did not set; returns those it set, by name. */
    static Map<String, String> setFreeRatios(int minHeapFreeRatio, int maxHeapFreeRatio) {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        List<Map.Entry<String, String>> wanted = new ArrayList<>();
        // The JVM checks min <= max at every single change, so the order depends on the direction of the move.
        boolean maxFirst = maxHeapFreeRatio >= Integer.parseInt(vm.getVMOption(MAX_FREE).getValue());
        Map.Entry<String, String> min = Map.entry(MIN_FREE, Integer.toString(minHeapFreeRatio));
        Map.Entry<String, String> max = Map.entry(MAX_FREE, Integer.toString(maxHeapFreeRatio));
        wanted.addAll(maxFirst ? List.of(max, min) : List.of(min, max));
        Map<String, String> applied = new LinkedHashMap<>();
        for (Map.Entry<String, String> option : wanted) {
            VMOption current = vm.getVMOption(option.getKey());
            if (SET_BY_OPERATOR.contains(current.getOrigin())) {
                continue;
            }
            try {
                vm.setVMOption(option.getKey(), option.getValue());
                applied.put(option.getKey(), option.getValue());
            } catch (IllegalArgumentException e) {
                // e.g. a MaxHeapFreeRatio below an operator's MinHeapFreeRatio: theirs stands
                log.warn("JVM option {}={} not applied: {}", option.getKey(), option.getValue(), e.getMessage());
            }
        }
        return applied;
    }
}
