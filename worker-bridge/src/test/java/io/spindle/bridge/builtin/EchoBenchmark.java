package io.spindle.bridge.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.channel.ChannelClosed;
import io.spindle.bridge.channel.ChannelSettings;
import io.spindle.bridge.channel.WorkerChannel;
import io.spindle.bridge.channel.WorkerListener;
import io.spindle.bridge.files.PrivateFiles;
import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerEnv;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Round trips per second of a trivial job through the whole stack: bridge channel → real worker process (SDK,
 * job thread, its own scratch dir) → result. One job at a time on one connection, as a worker runs them.
 * {@code cpu.echo} also writes its artifact file; {@code cpu.fail} with {@code fail_attempts: 0} succeeds at once
 * without touching the disk, which shows the protocol's own cost.
 *
 * <pre>java -cp &lt;test classpath&gt; io.spindle.bridge.builtin.EchoBenchmark [python|java] [seconds] [job type...]</pre>
 */
public final class EchoBenchmark {
    private static final Duration WARM_UP = Duration.ofMillis(500);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /** What one run measured. */
    public record Figure(String sdk, String jobType, long roundTrips, Duration elapsed) {
        public double perSecond() {
            return roundTrips / (elapsed.toNanos() / 1e9);
        }

        @Override
        public String toString() {
            return String.format("%s %s: %d round trips in %.2f s = %.0f rt/s (%.1f µs each)", sdk, jobType, roundTrips,
                    elapsed.toNanos() / 1e9, perSecond(), elapsed.toNanos() / 1e3 / Math.max(1, roundTrips));
        }
    }

    public static void main(String[] args) throws Exception {
        String sdk = args.length > 0 ? args[0] : "python";
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        List<String> types = args.length > 2 ? List.of(args).subList(2, args.length)
                : List.of(BuiltinWorkers.ECHO, BuiltinWorkers.FAIL);
        for (String type : types) {
            System.out.println(measure(sdk, type, duration));
        }
    }

    public static Figure measure(String sdk, String jobType, Duration duration) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "spb");
        try {
            List<String> command = sdk.equals("java")
                    ? BuiltinWorkerCommands.java()
                    : BuiltinWorkerCommands.python("python3", BuiltinWorkerCommands.extractPythonSdk(dir.resolve("py")));
            return measure(sdk, command, jobType, dir, duration);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Figure measure(String sdk, List<String> command, String jobType, Path dir, Duration duration)
            throws Exception {
        Path socket = dir.resolve("w.sock");
        BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        try (WorkerChannel channel = WorkerChannel.bind(socket, ChannelSettings.defaults())) {
            channel.start(new WorkerListener() {
                @Override
                public void onMessage(WorkerMessage message) {
                    if (message instanceof WorkerMessage.Hello || message instanceof WorkerMessage.Result
                            || message instanceof WorkerMessage.Error) {
                        answers.add(message);
                    }
                }

                @Override
                public void onProtocolError(ProtocolException error) {
                    answers.add(error);
                }

                @Override
                public void onClosed(ChannelClosed closed) {
                    answers.add(closed);
                }
            });
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("worker.log").toFile());
            builder.environment().put(WorkerEnv.SOCKET, socket.toString());
            Process process = builder.start();
            try {
                expect(answers, WorkerMessage.Hello.class);
                ObjectNode input = jobType.equals(BuiltinWorkers.FAIL)
                        ? FrameCodec.mapper().createObjectNode().put("fail_attempts", 0)
                        : FrameCodec.mapper().createObjectNode().put("text", "ping");
                Path scratch = dir.resolve("scratch");
                roundTrips(channel, answers, jobType, input, scratch.resolve("warm-up"), WARM_UP);
                long start = System.nanoTime();
                long count = roundTrips(channel, answers, jobType, input, scratch, duration);
                return new Figure(sdk, jobType, count, Duration.ofNanos(System.nanoTime() - start));
            } finally {
                channel.send(new BridgeMessage.Shutdown());
                if (!process.waitFor(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static long roundTrips(WorkerChannel channel, BlockingQueue<Object> answers, String jobType,
            ObjectNode input, Path scratch, Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        long count = 0;
        long deadline = System.currentTimeMillis() + ANSWER_TIMEOUT.toMillis();
        while (System.nanoTime() < end) {
            String jobId = "b" + count;
            Path jobScratch = PrivateFiles.directory(scratch.resolve(jobId));
            channel.send(new BridgeMessage.Run(jobId, jobType, input, null, 1, jobScratch.toString(), deadline));
            expect(answers, WorkerMessage.Result.class);
            count++;
        }
        return count;
    }

    private static void expect(BlockingQueue<Object> answers, Class<?> type) throws InterruptedException, IOException {
        Object answer = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!type.isInstance(answer)) {
            throw new IOException("expected " + type.getSimpleName() + ", got " + answer);
        }
    }

    private EchoBenchmark() {}
}
