package io.spindle.node.dev;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded Mongo-wire server as its own process: {@code EmbeddedMongoMain FILE [PORT [HOST]]}.
 * Prints {@code ready <uri>} once it accepts connections; stops on SIGTERM.
 */
public final class EmbeddedMongoMain {
    private EmbeddedMongoMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: EmbeddedMongoMain FILE [PORT [HOST]]");
            System.exit(2);
        }
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 27017;
        String host = args.length > 2 ? args[2] : "127.0.0.1";
        EmbeddedMongo mongo = EmbeddedMongo.start(Path.of(args[0]), host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mongo.close();
            stopped.countDown();
        }, "embedded-mongo-shutdown"));
        System.out.println("ready " + mongo.uri());
        System.out.flush();
        stopped.await();
    }
}
