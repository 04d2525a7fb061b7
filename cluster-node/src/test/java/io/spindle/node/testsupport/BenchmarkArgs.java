package io.spindle.node.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the benchmarks among the tests share: run through surefire only when asked ({@code -Dbench=true}), their
 * arguments in {@code -Dbench.args="..."}, and only warnings logged while they measure.
 */
public final class BenchmarkArgs {
    private BenchmarkArgs() {}

    /** The words of {@code -Dbench.args}, none when it is unset or blank. */
    public static String[] fromSystemProperty() {
        String args = System.getProperty("bench.args", "").trim();
        return args.isEmpty() ? new String[0] : args.split("\\s+");
    }

    /** Only warnings and errors from here on: a benchmark's figures are its output. */
    public static void quietLogging() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }
}
