package io.spindle.node.memory;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns to the OS the native memory glibc keeps after it was freed (malloc_trim), through the JVM's own
 * {@code System.trim_native_heap} diagnostic command — what {@code -XX:TrimNativeHeapInterval} does, which a running
 * node cannot switch on for itself. Direct buffers, the driver's and the JIT's temporary allocations leave about
 * 100 MB in glibc's arenas after a burst.
 */
public final class NativeHeapTrim {
    private static final Logger log = LoggerFactory.getLogger(NativeHeapTrim.class);
    private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";
    private static final String TRIM = "systemTrimNativeHeap";
    private static final String[] SIGNATURE = {String[].class.getName()};

    private final MBeanServer server;
    private final ObjectName commands;

    private NativeHeapTrim(MBeanServer server, ObjectName commands) {
        this.server = server;
        this.commands = commands;
    }

    /** The trim of this JVM, or empty where the JVM has no such command (before 17.0.9, or not HotSpot). */
    public static Optional<NativeHeapTrim> available() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName commands = new ObjectName(DIAGNOSTIC_COMMANDS);
            boolean present = server.isRegistered(commands) && Arrays.stream(server.getMBeanInfo(commands).getOperations())
                    .anyMatch(op -> op.getName().equals(TRIM));
            return present ? Optional.of(new NativeHeapTrim(server, commands)) : Optional.empty();
        } catch (JMException e) {
            return Optional.empty();
        }
    }

    /** Trims now; returns the JVM's report (RSS before and after), or the reason it could not. */
    public String trim() {
        try {
            String report = String.valueOf(server.invoke(commands, TRIM, new Object[] {new String[0]}, SIGNATURE)).strip();
            log.debug("{}", report);
            return report;
        } catch (JMException e) {
            log.debug("native heap not trimmed: {}", e.toString());
            return "not trimmed: " + e;
        }
    }
}
