package io.spindle.node.queue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.ConstantDelay;
import org.redisson.config.SingleServerConfig;

/** Creates Redisson clients from {@code spindle.redis} (see spindle-queue.conf); values are plain strings. */
public final class RedisClients {
    private static final int DEFAULT_PORT = 6379;
    private RedisClients() {}

    /** A client for {@code spindle.redis} of {@code root}; the caller shuts it down. */
    public static RedissonClient create(Config root) {
        return Redisson.create(redissonConfig(root.getConfig("spindle.redis")));
    }

    /** A client for {@code uri} with every other setting from {@code root}'s {@code spindle.redis}. */
    public static RedissonClient create(Config root, String uri) {
        return Redisson.create(redissonConfig(root.getConfig("spindle.redis").withValue("uri", ConfigValueFactory.fromAnyRef(uri))));
    }

    /** A client for {@code uri} requiring {@code password}, with every other setting from {@code root}'s {@code spindle.redis}. */
    public static RedissonClient create(Config root, String uri, String password) {
        return Redisson.create(redissonConfig(root.getConfig("spindle.redis")
                .withValue("uri", ConfigValueFactory.fromAnyRef(uri))
                .withValue("password", ConfigValueFactory.fromAnyRef(password))));
    }

    /** The Redisson configuration for a {@code spindle.redis} section. */
    static org.redisson.config.Config redissonConfig(Config redis) {
        URI uri = URI.create(redis.getString("uri"));
        if (uri.getHost() == null || !("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("spindle.redis.uri must look like redis://host:port or rediss://host:port, not " + uri);
        }
        org.redisson.config.Config config = new org.redisson.config.Config();
        config.setCodec(StringCodec.INSTANCE);
        config.setThreads(redis.getInt("threads"));
        config.setNettyThreads(redis.getInt("netty-threads"));
        // Scripts are sent by SHA and reloaded on NOSCRIPT (e.g. after a Redis restart).
        config.setUseScriptCache(true);
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT;
        SingleServerConfig server = config.useSingleServer()
                .setAddress(uri.getScheme() + "://" + uri.getHost() + ":" + port)
                .setConnectTimeout(millis(redis, "connect-timeout"))
                .setTimeout(millis(redis, "response-timeout"))
                .setRetryAttempts(redis.getInt("retry-attempts"))
                .setRetryDelay(new ConstantDelay(redis.getDuration("retry-interval")))
                .setConnectionPoolSize(redis.getInt("connection-pool-size"))
                .setConnectionMinimumIdleSize(redis.getInt("connection-minimum-idle-size"))
                .setSubscriptionConnectionPoolSize(redis.getInt("subscription-connection-pool-size"))
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionsPerConnection(redis.getInt("subscriptions-per-connection"))
                .setPingConnectionInterval(millis(redis, "ping-interval"))
                .setClientName(redis.getString("client-name"));
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : decode(userInfo.substring(0, colon));
            String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            if (!user.isEmpty()) {
                server.setUsername(user);
            }
            server.setPassword(password);
        }
        // The password of its own key wins over one in the URI: it needs no URL escaping and keeps the URI loggable.
        String password = redis.getString("password");
        if (!password.isEmpty()) {
            server.setPassword(password);
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            server.setDatabase(Integer.parseInt(path.substring(1)));
        }
        return config;
    }

    private static int millis(Config c, String key) {
        Duration d = c.getDuration(key);
        return Math.toIntExact(d.toMillis());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
