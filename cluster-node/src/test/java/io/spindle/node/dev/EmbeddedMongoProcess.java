package io.spindle.node.dev;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Runs an embedded Mongo-wire server in its own JVM until killed, for crash tests. Arguments: the
 * data file and the port (0 for any). Prints {@code LISTENING <port>} once it accepts connections.
 */
public final class EmbeddedMongoProcess {
    public static final String READY_LINE = "LISTENING ";

    private EmbeddedMongoProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        EmbeddedMongo server = EmbeddedMongo.start(Path.of(args[0]), "127.0.0.1", Integer.parseInt(args[1]));
        System.out.println(READY_LINE + server.address().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
