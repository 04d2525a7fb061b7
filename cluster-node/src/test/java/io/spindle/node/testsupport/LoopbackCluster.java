package io.spindle.node.testsupport;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Config of a test actor system that is a cluster member on loopback, on a free port, beside others in this JVM. */
public final class LoopbackCluster {
    private static final Config MEMBER = ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            """);

    private LoopbackCluster() {}

    /** A loopback cluster member's settings alone. */
    public static Config config() {
        return MEMBER;
    }

    /** {@code hocon} (the test's own settings) over a loopback cluster member's. */
    public static Config config(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(MEMBER);
    }
}
