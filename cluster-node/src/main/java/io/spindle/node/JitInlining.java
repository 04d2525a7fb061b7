package io.spindle.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JIT inlining limits a node runs best with. With C2's defaults (a call depth of 15, callees of up to 2,500
 * bytes of compiled code, and hot callees of up to 325 bytecodes inlined) the compiler spent a third of a node's CPU still thousands of jobs after start,
 * compiling ever larger methods over the node's deep library stacks (the MongoDB driver and the Mongo-wire server,
 * Pekko, H2); the limits below cut a node's CPU per job by about a quarter (docs/performance.md). A running JVM cannot
 * change them, so {@code bin/spindle} passes them; a node started another way says so once.
 */
final class JitInlining {
    private static final Logger log = LoggerFactory.getLogger(JitInlining.class);
    /** Option name → value, as {@code bin/spindle} passes them. */
    static final List<Map.Entry<String, String>> RECOMMENDED = List.of(
            Map.entry("MaxInlineLevel", "9"), Map.entry("InlineSmallCode", "1000"), Map.entry("FreqInlineSize", "150"));

    private static final String TIERED_STOP_AT_LEVEL = "TieredStopAtLevel";
    /** The compilation tier of C2. */
    private static final int C2_LEVEL = 4;

    private JitInlining() {}

    /** Logs the limits this JVM runs with when it was not given the recommended ones (nor others). */
    static void logAtStart() {
        Map<String, String> defaults = leftAtDefault();
        if (!defaults.isEmpty()) {
            log.info("JIT inlining at the JVM's defaults {}: bin/spindle passes {} (about a quarter less CPU per job; "
                    + "see docs/deploy.md)", defaults, String.join(" ", flags()));
        }
    }

    /** The recommended options this JVM has at their default, with their current values; none when it runs C1 only. */
    static Map<String, String> leftAtDefault() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        Map<String, String> defaults = new LinkedHashMap<>();
        if (c1Only(vm)) {
            return defaults;
        }
        for (Map.Entry<String, String> recommended : RECOMMENDED) {
            String name = recommended.getKey();
            try {
                VMOption option = vm.getVMOption(name);
                if (option.getOrigin() == VMOption.Origin.DEFAULT) {
                    defaults.put(name, option.getValue());
                }
            } catch (IllegalArgumentException notThisVm) {
                // another JVM (no C2, or not HotSpot): nothing to advise
            }
        }
        return defaults;
    }

    /** True for a JVM told to stop below C2 ({@code -XX:TieredStopAtLevel=1}, as test nodes and workers run). */
    private static boolean c1Only(HotSpotDiagnosticMXBean vm) {
        try {
            return Integer.parseInt(vm.getVMOption(TIERED_STOP_AT_LEVEL).getValue()) < C2_LEVEL;
        } catch (IllegalArgumentException notThisVm) {
            return false;
        }
    }

    /** The recommended options as JVM flags. */
    static List<String> flags() {
        return RECOMMENDED.stream().map(option -> "-XX:" + option.getKey() + "=" + option.getValue()).toList();
    }
}
