package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ImageMagick's {@code convert} under a resource policy, so no input or setting can make it eat the node: memory,
 * pixel cache on disk, image area and side, threads and its own time are capped on every call (a cap can only lower
 * the system's {@code policy.xml}). It is called by absolute path: another {@code convert} may come first on a PATH.
 */
final class MagickCommand {
    static final String CONVERT = "/usr/bin/convert";
    static final String MEMORY_LIMIT = "256MiB";
    static final String MAP_LIMIT = "512MiB";
    static final String DISK_LIMIT = "1GiB";
    /** The largest image, in pixels, any step may hold: a 8192×8192 image. */
    static final long MAX_AREA_PIXELS = 8192L * 8192;
    /** The longest side, in pixels, of any image read or made. */
    static final int MAX_SIDE_PIXELS = 8192;
    /** Threads per call: the node runs other workers beside this one. */
    static final int THREADS = 2;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);
    private static final String UNREADABLE_FONT = "unable to read font";

    /** An image's size in pixels. */
    record Size(long width, long height) {
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    private MagickCommand() {}

    /** The resource-policy options that open every call, {@code time} being the engine's own limit. */
    static List<String> limits(Duration time) {
        long seconds = Math.max(1, (time.toMillis() + 999) / 1000);
        return List.of("-limit", "memory", MEMORY_LIMIT, "-limit", "map", MAP_LIMIT, "-limit", "disk", DISK_LIMIT,
                "-limit", "area", Long.toString(MAX_AREA_PIXELS), "-limit", "width", Integer.toString(MAX_SIDE_PIXELS),
                "-limit", "height", Integer.toString(MAX_SIDE_PIXELS), "-limit", "thread", Integer.toString(THREADS),
                "-limit", "time", Long.toString(seconds));
    }

    /** Runs {@code convert <limits> <args>}; a non-zero exit is a crashed runtime unless the font was missing. */
    static void convert(List<String> args, JobRun job, WorkerContext ctx) throws WorkerFailure {
        Subprocess.Exit exit = run(args, job, ctx);
        if (!exit.ok()) {
            if (exit.stderrTail().contains(UNREADABLE_FONT)) {
                throw Failures.unsupported("params." + ImageCaption.FONT, "ImageMagick has no such font (see `convert -list font`): "
                        + exit.stderrTail());
            }
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "convert exited " + exit.code() + ": " + exit.stderrTail());
        }
    }

    /**
     * The size of the input image {@code file} read as {@code format} (its header only); an image ImageMagick cannot
     * read within the limits is the input's fault (permanent {@code invalid_input} naming {@code field}).
     */
    static Size inputSize(String field, Path file, ImageFormat format, JobRun job, WorkerContext ctx) throws WorkerFailure {
        Path info = job.scratchDir().resolve("." + field + ".size.txt");
        Subprocess.Exit exit = run(List.of("-ping", format.magickPath(file) + "[0]", "-format", "%w %h", "info:" + info), job, ctx);
        if (!exit.ok()) {
            throw Failures.invalidInput(field, "not a readable " + format.extension() + " image within "
                    + MAX_SIDE_PIXELS + "x" + MAX_SIDE_PIXELS + " pixels: " + exit.stderrTail());
        }
        return readSize(info);
    }

    /** The size of an image this shim wrote. */
    static Size outputSize(Path file, ImageFormat format, JobRun job, WorkerContext ctx) throws WorkerFailure {
        Path info = job.scratchDir().resolve(".output.size.txt");
        Subprocess.Exit exit = run(List.of("-ping", format.magickPath(file), "-format", "%w %h", "info:" + info), job, ctx);
        if (!exit.ok()) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "convert cannot read its own " + file.getFileName() + ": " + exit.stderrTail());
        }
        return readSize(info);
    }

    private static Size readSize(Path info) throws WorkerFailure {
        try {
            String[] parts = Files.readString(info, StandardCharsets.UTF_8).trim().split(" ");
            return new Size(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IOException | RuntimeException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "convert wrote no image size: " + e.getMessage());
        }
    }

    private static Subprocess.Exit run(List<String> args, JobRun job, WorkerContext ctx) throws WorkerFailure {
        Duration budget = Deadlines.budget(job, DEFAULT_TIMEOUT);
        List<String> argv = new ArrayList<>();
        argv.add(CONVERT);
        argv.addAll(limits(budget));
        argv.addAll(args);
        return Subprocess.run(argv, job.scratchDir(), budget, ctx);
    }
}
