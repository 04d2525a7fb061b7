package io.spindle.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

    @Test
    void theReferenceConfigurationLoads() {
        var config = ConfigFactory.load();
        JobSettings settings = JobSettings.fromConfig(config.getConfig(JobSettings.CONFIG_PATH));

        assertEquals(Duration.ofSeconds(60), settings.defaultLeaseTtl());
        assertEquals(new RetryBackoff(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(5), 0.2), settings.retryBackoff());
        assertEquals(Duration.ofSeconds(30), settings.cancelGrace());
        assertEquals(0, settings.snapshotEvery());
        assertTrue(settings.passivateAfter().compareTo(Duration.ZERO) > 0);
        assertFalse(config.getBoolean("pekko.cluster.sharding.remember-entities"), "the sweeper wakes unfinished jobs instead");
        assertEquals("none", config.getString("pekko.cluster.sharding.passivation.strategy"));
    }

    @Test
    void keysCanBeOverridden() {
        var config = ConfigFactory.parseString("lease.default-ttl = 5s\nretry-backoff.jitter = 0")
                .withFallback(ConfigFactory.load().getConfig(JobSettings.CONFIG_PATH));

        JobSettings settings = JobSettings.fromConfig(config);

        assertEquals(Duration.ofSeconds(5), settings.defaultLeaseTtl());
        assertEquals(0.0, settings.retryBackoff().jitter());
    }
}
