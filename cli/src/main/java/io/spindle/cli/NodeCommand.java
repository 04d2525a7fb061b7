package io.spindle.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.spindle.gateway.GatewayServer;
import io.spindle.gateway.GatewaySettings;
import io.spindle.gateway.health.BackendCheck;
import io.spindle.gateway.health.BackendChecks;
import io.spindle.node.NodeContext;
import io.spindle.node.NodeService;
import io.spindle.node.SpindleNode;
import io.spindle.node.config.NodeConfig;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle node --config FILE}: runs a node until it is stopped (SIGTERM, Ctrl-C) or leaves the cluster. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a Spindle node configured by a HOCON file layered over the defaults (see configs/node.conf).")
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's HOCON config file.")
    Path configFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Config config;
        try {
            config = NodeConfig.load(configFile);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "cannot use config " + configFile + ": " + e.getMessage());
        }
        return run(config, System.out, "Spindle node");
    }

    /** Starts a node with every service, prints one ready line, and blocks until the node has stopped. */
    static int run(Config config, PrintStream out, String what) {
        SpindleNode node = SpindleNode.start(config, List.of(new Gateway()));
        out.println(what + " " + node.settings().name() + " ready: " + node.describe());
        out.flush();
        node.whenStopped().toCompletableFuture().join();
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
                    return "API " + url;
                }
            };
        }
    }
}
