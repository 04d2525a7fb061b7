package io.spindle.bridge.builtin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Java built-ins as a child JVM on this test's classpath. */
class JavaBuiltinWorkersTest extends BuiltinWorkerContract {
    /** Quick start over peak speed: these workers live for seconds. */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k");

    @Override
    List<String> command(Path dir) {
        List<String> command = new ArrayList<>(BuiltinWorkerCommands.java(System.getProperty("java.class.path"), FAST_START));
        command.add(dir.resolve("w.sock").toString()); // the socket as first argument, overriding the environment
        return command;
    }

    @Override
    Map<String, String> environment(Path dir) {
        return Map.of("SPINDLE_WORKER_SOCKET", "/nonexistent/ignored.sock");
    }

    @Override
    String expectedName() {
        return "spindle-builtin-java";
    }
}
