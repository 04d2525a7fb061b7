package io.spindle.node.testsupport;

import java.lang.management.ManagementFactory;

/** CPU time of this JVM (every thread, user and system), for benchmarks that report CPU per unit of work. */
public final class ProcessCpu {
    private ProcessCpu() {}

    public static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
