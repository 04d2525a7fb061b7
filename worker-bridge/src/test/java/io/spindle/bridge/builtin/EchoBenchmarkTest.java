package io.spindle.bridge.builtin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark runnable and prints a quick figure; the real measurement is {@link EchoBenchmark#main}. */
class EchoBenchmarkTest {
    @Test
    void pythonEchoRoundTripsThroughTheWholeStack() throws Exception {
        EchoBenchmark.Figure figure = EchoBenchmark.measure("python", BuiltinWorkers.ECHO, Duration.ofSeconds(1));
        System.out.println(figure);
        assertTrue(figure.roundTrips() > 0, figure.toString());
    }
}
