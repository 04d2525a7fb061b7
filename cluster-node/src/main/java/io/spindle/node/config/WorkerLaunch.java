package io.spindle.node.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How to start one worker OS process: argv, extra environment, working directory (null: the node's). */
public record WorkerLaunch(List<String> argv, Map<String, String> env, Path workingDir) {
    public WorkerLaunch {
        argv = List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
