package io.spindle.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.spindle.gateway.GatewayServer;
import io.spindle.gateway.GatewaySettings;
import io.spindle.gateway.health.BackendCheck;
import io.spindle.gateway.health.BackendChecks;
import io.spindle.gateway.management.ManagementServer;
import io.spindle.gateway.management.ManagementSettings;
import io.spindle.gateway.ui.DashboardRoutes;
import io.spindle.node.NodeContext;
import io.spindle.node.NodeService;
import io.spindle.node.SpindleNode;
import io.spindle.node.config.NodeConfig;
import io.spindle.node.config.SeedNodes;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle node --config FILE}: runs a node until it is stopped (SIGTERM, Ctrl-C) or leaves the cluster. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a Spindle node configured by a HOCON file layered over the defaults (see configs/node.conf).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (SIGTERM, or it left the cluster)", "1:could not start",
                "70:the cluster downed this node (a supervisor should start it again)"})
final class NodeCommand implements Callable<Integer> {
    /** Exit code of a node the cluster downed (EX_SOFTWARE): not a clean stop, so systemd's Restart=on-failure acts. */
    static final int EXIT_DOWNED = 70;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's HOCON config file.")
    Path configFile;

    @Option(names = "--join", paramLabel = "HOST:PORT", split = ",",
            description = {"Seed node(s) to join, replacing pekko.cluster.seed-nodes: another node's cluster host and port.",
                    "The node keeps asking until one answers, so nodes may start in any order."})
    List<String> join = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Config config;
        try {
            config = NodeConfig.load(configFile, options());
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "cannot use config " + configFile + ": " + e.getMessage());
        }
        return run(config, System.out, "Spindle node", node -> "");
    }

    private Config options() {
        if (join.isEmpty()) {
            return ConfigFactory.empty();
        }
        try {
            return ConfigFactory.parseMap(Map.of(SeedNodes.CONFIG_PATH, SeedNodes.addresses(join)), "--join");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--join " + e.getMessage());
        }
    }

    /**
     * Starts a node with every service, prints one ready line (and what {@code afterReady} adds), and blocks until
     * the node has stopped. Answers {@link #EXIT_DOWNED} when the cluster downed the node, else 0.
     */
    static int run(Config config, PrintStream out, String what, Function<SpindleNode, String> afterReady) {
        SpindleNode node = SpindleNode.start(config, List.of(new Gateway(), new Management()));
        out.println(what + " " + node.settings().name() + " ready: " + node.describe());
        String more = afterReady.apply(node);
        if (!more.isEmpty()) {
            out.println(more);
        }
        out.flush();
        node.whenStopped().toCompletableFuture().join();
        if (node.wasDowned()) {
            System.err.println(what + " " + node.settings().name() + " was downed by the cluster; exiting with " + EXIT_DOWNED);
            return EXIT_DOWNED;
        }
        return 0;
    }

    /** The HTTP API (spindle.gateway), with readiness checks of the node's three backends. */
    private static final class Gateway implements NodeService {
        @Override
        public String name() {
            return "http gateway";
        }

        @Override
        public Running start(NodeContext node) throws Exception {
            ActorSystem<?> system = node.system();
            Duration timeout = node.config().getDuration("spindle.boot.start-timeout");
            List<BackendCheck> checks = List.of(
                    BackendChecks.mongo(system),
                    BackendChecks.jobQueue("redis", node.queue()),
                    BackendChecks.artifactStore("s3", node.artifactStore()));
            GatewayServer server = new GatewayServer(system, node.jobViews(), node.configs(), node.artifactCatalog(),
                    node.artifactStore(), checks, GatewaySettings.create(system));
            InetSocketAddress bound = server.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String url = "http://" + bound.getHostString() + ":" + bound.getPort();
            return new Running() {
                @Override
                public void stop() {
                    // Nothing to do: the server registered its binding with coordinated shutdown, which unbinds
                    // it in service-unbind and lets requests in flight finish within its unbind deadline.
                }

                @Override
                public String describe() {
                    return "API " + url + ", dashboard " + DashboardRoutes.url(url);
                }
            };
        }
    }

    /** Cluster management over HTTP (spindle.management), unless switched off. */
    private static final class Management implements NodeService {
        @Override
        public String name() {
            return "cluster management http";
        }

        @Override
        public Running start(NodeContext node) throws Exception {
            ManagementSettings settings = ManagementSettings.fromConfig(node.config());
            if (!settings.enabled()) {
                return () -> { };
            }
            Duration timeout = node.config().getDuration("spindle.boot.start-timeout");
            ManagementServer server = new ManagementServer(node.system(), settings);
            InetSocketAddress bound = server.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String url = "http://" + bound.getHostString() + ":" + bound.getPort();
            return new Running() {
                @Override
                public void stop() throws Exception {
                    server.stop().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }

                @Override
                public String describe() {
                    return "management " + url;
                }
            };
        }
    }
}
