package io.spindle.cli;

import com.typesafe.config.Config;
import io.spindle.node.SpindleNode;
import io.spindle.node.boot.NodeConfig;
import io.spindle.node.boot.NodeService;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spindle node --config FILE}: runs a node until it is stopped (SIGTERM, Ctrl-C) or leaves the cluster. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a Spindle node configured by a HOCON file layered over the defaults (see configs/node.conf).")
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's HOCON config file.")
    Path configFile;

    @Override
    public Integer call() {
        Config config = NodeConfig.load(configFile);
        return run(config, System.out, "Spindle node");
    }

    /** Starts a node with every service, prints one ready line, and blocks until the node has stopped. */
    static int run(Config config, PrintStream out, String what) {
        SpindleNode node = SpindleNode.start(config, services());
        out.println(what + " " + node.settings().name() + " ready: " + node.describe());
        out.flush();
        node.whenStopped().toCompletableFuture().join();
        return 0;
    }

    /** The services of the modules above cluster-node that every node runs. */
    static List<NodeService> services() {
        return List.of();
    }
}
