package io.spindle.node.config;

import com.typesafe.config.Config;
import io.spindle.node.config.BuiltinWorkerArgv;
import io.spindle.node.config.HostedConfig;
import io.spindle.node.config.WorkerLaunch;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code spindle.node} section: who this node is, where its files go, which configs it hosts. */
public record NodeSettings(String name, List<String> roles, Path dataDir, Path runDir, List<HostedConfig> hostedConfigs) {

    public static NodeSettings from(Config root) {
        Config c = root.getConfig("spindle.node");
        List<HostedConfig> hosted = c.getConfigList("hosted-configs").stream().map(NodeSettings::hosted).toList();
        Path dataDir = Path.of(c.getString("data-dir"));
        return new NodeSettings(c.getString("name"), c.getStringList("roles"), dataDir,
                RunDirs.resolve(c.getString("run-dir"), dataDir, System.getProperty("user.name")), hosted);
    }

    private static HostedConfig hosted(Config h) {
        Config w = h.getConfig("worker");
        Map<String, String> env = new LinkedHashMap<>();
        if (w.hasPath("env")) {
            w.getConfig("env").entrySet().forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
        }
        Path workingDir = w.hasPath("working-dir") && !w.getString("working-dir").isBlank() ? Path.of(w.getString("working-dir")) : null;
        List<String> argv;
        try {
            argv = w.hasPath("backend") ? BuiltinWorkerArgv.runtime(w.getString("backend"))
                    : w.hasPath("builtin") ? BuiltinWorkerArgv.argv(w.getString("builtin"))
                    : w.hasPath("command") ? w.getStringList("command") : List.of();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hosted config '" + h.getString("config-id") + "': " + e.getMessage(), e);
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("hosted config '" + h.getString("config-id") + "': worker needs a command, a builtin or a backend");
        }
        int concurrency = h.hasPath("concurrency") ? h.getInt("concurrency") : 1;
        if (concurrency < 1) {
            throw new IllegalArgumentException("hosted config '" + h.getString("config-id") + "': concurrency must be at least 1");
        }
        return new HostedConfig(h.getString("config-id"), concurrency, new WorkerLaunch(argv, env, workingDir));
    }
}
