package io.spindle.gateway;

import com.typesafe.config.Config;
import io.spindle.gateway.http.JsonLimits;
import io.spindle.gateway.jobs.AdmissionSettings;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/** The {@code spindle.gateway} configuration (http-gateway's reference.conf documents every key). */
public record GatewaySettings(
        String host,
        int port,
        String apiToken,
        long maxBodyBytes,
        Duration bodyReadTimeout,
        Duration bodyStallTimeout,
        Duration askTimeout,
        String readJournalPluginId,
        Duration configCacheTtl,
        int batchMaxJobs,
        Duration readyTimeout,
        Duration sseKeepAlive,
        Duration unbindDeadline,
        AdmissionSettings admission,
        JsonLimits json) {

    public static final String CONFIG_PATH = "spindle.gateway";

    public GatewaySettings {
        apiToken = apiToken == null ? "" : apiToken;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("spindle.gateway.port must be 0 to 65535, was " + port);
        }
        if (maxBodyBytes < 1 || batchMaxJobs < 1) {
            throw new IllegalArgumentException("spindle.gateway.max-body-size and batch.max-jobs must be positive");
        }
    }

    public static GatewaySettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config().getConfig(CONFIG_PATH));
    }

    /** @param c the {@code spindle.gateway} section */
    public static GatewaySettings fromConfig(Config c) {
        return new GatewaySettings(
                c.getString("host"),
                c.getInt("port"),
                c.getString("api-token").trim(),
                c.getBytes("max-body-size"),
                c.getDuration("body-read-timeout"),
                c.getDuration("body-stall-timeout"),
                c.getDuration("ask-timeout"),
                c.getString("read-journal"),
                c.getDuration("config-cache-ttl"),
                c.getInt("batch.max-jobs"),
                c.getDuration("ready-timeout"),
                c.getDuration("sse-keep-alive"),
                c.getDuration("unbind-deadline"),
                AdmissionSettings.fromConfig(c.getConfig("admission")),
                JsonLimits.fromConfig(c.getConfig("json")));
    }

    /** True when requests must carry the API token. */
    public boolean authRequired() {
        return !apiToken.isEmpty();
    }

    public GatewaySettings withPort(int value) {
        return new GatewaySettings(host, value, apiToken, maxBodyBytes, bodyReadTimeout, bodyStallTimeout, askTimeout, readJournalPluginId,
                configCacheTtl, batchMaxJobs, readyTimeout, sseKeepAlive, unbindDeadline, admission, json);
    }

    public GatewaySettings withApiToken(String value) {
        return new GatewaySettings(host, port, value, maxBodyBytes, bodyReadTimeout, bodyStallTimeout, askTimeout, readJournalPluginId,
                configCacheTtl, batchMaxJobs, readyTimeout, sseKeepAlive, unbindDeadline, admission, json);
    }

    public GatewaySettings withMaxBodyBytes(long value) {
        return new GatewaySettings(host, port, apiToken, value, bodyReadTimeout, bodyStallTimeout, askTimeout, readJournalPluginId,
                configCacheTtl, batchMaxJobs, readyTimeout, sseKeepAlive, unbindDeadline, admission, json);
    }

    public GatewaySettings withBatchMaxJobs(int value) {
        return new GatewaySettings(host, port, apiToken, maxBodyBytes, bodyReadTimeout, bodyStallTimeout, askTimeout, readJournalPluginId,
                configCacheTtl, value, readyTimeout, sseKeepAlive, unbindDeadline, admission, json);
    }

    public GatewaySettings withReadJournalPluginId(String value) {
        return new GatewaySettings(host, port, apiToken, maxBodyBytes, bodyReadTimeout, bodyStallTimeout, askTimeout, value,
                configCacheTtl, batchMaxJobs, readyTimeout, sseKeepAlive, unbindDeadline, admission, json);
    }

    public GatewaySettings withReadyTimeout(Duration value) {
        return new GatewaySettings(host, port, apiToken, maxBodyBytes, bodyReadTimeout, bodyStallTimeout, askTimeout, readJournalPluginId,
                configCacheTtl, batchMaxJobs, value, sseKeepAlive, unbindDeadline, admission, json);
    }

    public GatewaySettings withAskTimeout(Duration value) {
        return new GatewaySettings(host, port, apiToken, maxBodyBytes, bodyReadTimeout, bodyStallTimeout, value, readJournalPluginId,
                configCacheTtl, batchMaxJobs, readyTimeout, sseKeepAlive, unbindDeadline, admission, json);
    }

    public GatewaySettings withJson(JsonLimits value) {
        return new GatewaySettings(host, port, apiToken, maxBodyBytes, bodyReadTimeout, bodyStallTimeout, askTimeout, readJournalPluginId,
                configCacheTtl, batchMaxJobs, readyTimeout, sseKeepAlive, unbindDeadline, admission, value);
    }

    public GatewaySettings withAdmission(AdmissionSettings value) {
        return new GatewaySettings(host, port, apiToken, maxBodyBytes, bodyReadTimeout, bodyStallTimeout, askTimeout, readJournalPluginId,
                configCacheTtl, batchMaxJobs, readyTimeout, sseKeepAlive, unbindDeadline, value, json);
    }
}
