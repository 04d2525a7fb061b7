package io.spindle.cli.dev;

import com.typesafe.config.Config;
import io.spindle.node.config.SeedNodes;

/**
 * What a GPU node needs to join a control node run by {@code spindle dev --cluster-port}: the seed node and the
 * addresses of the control node's embedded backends, as HOCON to paste into the GPU node's config.
 */
public final class JoinSettings {
    private JoinSettings() {}

    /** @param config the control node's effective configuration (embedded backends' addresses filled in) */
    public static String hocon(Config config) {
        String host = config.getString("pekko.remote.artery.canonical.hostname");
        int port = config.getInt("pekko.remote.artery.canonical.port");
        Config s3 = config.getConfig("spindle.artifacts.s3");
        return String.join("\n",
                "# Settings for a node joining this control node (spindle node --config gpu.conf):",
                SeedNodes.CONFIG_PATH + " = [\"" + SeedNodes.address(host + ":" + port) + "\"]",
                "spindle.node.roles = [\"worker\"]",
                "spindle.mongo.uri = \"" + config.getString("spindle.mongo.uri") + "\"",
                "spindle.mongo.database = \"" + config.getString("spindle.mongo.database") + "\"",
                "spindle.redis.uri = \"" + config.getString("spindle.redis.uri") + "\"",
                "spindle.artifacts.s3 { endpoint = \"" + s3.getString("endpoint") + "\", bucket = \"" + s3.getString("bucket")
                        + "\", access-key = \"" + s3.getString("access-key") + "\", secret-key = \"" + s3.getString("secret-key")
                        + "\", path-style-access = true }");
    }
}
