package io.spindle.bridge.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The filters this machine's ffmpeg has, listed once per worker: optional ones (drawtext needs libfreetype) are
 * left out of a command rather than failing it.
 */
final class VideoFilters {
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);
    /** A listing line is " T.C drawtext  V->V  …": flags, then the name. */
    private static final int NAME_COLUMN = 1;
    private static volatile Set<String> filters;

    private VideoFilters() {}

    static boolean has(String filter) {
        return filters().contains(filter);
    }

    private static Set<String> filters() {
        Set<String> known = filters;
        if (known != null) {
            return known;
        }
        known = new HashSet<>();
        try {
            Process process = new ProcessBuilder(FfmpegVideo.FFMPEG, "-hide_banner", "-filters").redirectErrorStream(true).start();
            String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor(LIST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                for (String line : listing.lines().toList()) {
                    String[] columns = line.trim().split("\\s+");
                    if (columns.length > NAME_COLUMN) {
                        known.add(columns[NAME_COLUMN]);
                    }
                }
            } else {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            return Set.of(); // no ffmpeg: the run fails on its own, as runtime_missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
        filters = Set.copyOf(known);
        return filters;
    }
}
