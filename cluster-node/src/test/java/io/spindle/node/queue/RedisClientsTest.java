package io.spindle.node.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.SingleServerConfig;

class RedisClientsTest {
    @Test
    void defaultsComeFromReferenceConf() {
        assumeTrue(System.getenv("SPINDLE_REDIS_URI") == null, "the environment overrides the default URI");
        org.redisson.config.Config c = RedisClients.redissonConfig(ConfigFactory.load().getConfig("spindle.redis"));
        SingleServerConfig server = c.useSingleServer();

        assertEquals("redis://127.0.0.1:6379", server.getAddress());
        assertEquals(StringCodec.INSTANCE, c.getCodec());
        assertEquals(16, server.getConnectionPoolSize());
        assertEquals(3000, server.getTimeout());
        assertNull(server.getPassword());
    }

    @Test
    void userPasswordAndDatabaseAreTakenFromTheUri() {
        SingleServerConfig server = RedisClients.redissonConfig(redis("rediss://queue:s%40cret@redis.internal:6380/2")).useSingleServer();

        assertEquals("rediss://redis.internal:6380", server.getAddress());
        assertEquals("queue", server.getUsername());
        assertEquals("s@cret", server.getPassword());
        assertEquals(2, server.getDatabase());
    }

    @Test
    void aPasswordAloneIsAccepted() {
        SingleServerConfig server = RedisClients.redissonConfig(redis("redis://:pw@localhost")).useSingleServer();

        assertEquals("redis://localhost:6379", server.getAddress());
        assertNull(server.getUsername());
        assertEquals("pw", server.getPassword());
    }

    @Test
    void thePasswordKeyWinsOverTheUrisAndNeedsNoEscaping() {
        Config redis = ConfigFactory.parseString("password = \"p@ss:w/rd\"").withFallback(redis("redis://queue:old@localhost:6380"));
        SingleServerConfig server = RedisClients.redissonConfig(redis).useSingleServer();

        assertEquals("queue", server.getUsername());
        assertEquals("p@ss:w/rd", server.getPassword());
    }

    @Test
    void aUriThatIsNotRedisIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RedisClients.redissonConfig(redis("http://localhost:6379")));
    }

    private static Config redis(String uri) {
        return ConfigFactory.parseString("uri = \"" + uri + "\"").withFallback(ConfigFactory.load().getConfig("spindle.redis"));
    }
}
