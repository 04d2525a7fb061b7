package io.spindle.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.gateway.testsupport.GatewayTestNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GatewayServerTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();

    private GatewayServer server(int port) {
        return NODE.newGateway(NODE.settings().withPort(port), List.of());
    }

    @Test
    void portZeroBindsAFreePortAndStopUnbinds() throws Exception {
        GatewayServer server = server(0);
        assertThrows(IllegalStateException.class, server::port, "not started yet");

        InetSocketAddress bound = GatewayTestNode.await(server.start());

        assertTrue(bound.getPort() > 0);
        assertEquals(bound.getPort(), server.port());
        HttpClient http = HttpClient.newHttpClient();
        URI health = URI.create("http://127.0.0.1:" + server.port() + "/health");
        assertEquals(200, http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        GatewayTestNode.await(server.stop());

        assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()));
        GatewayTestNode.await(server.stop()); // stopping twice is harmless
    }

    @Test
    void aPortInUseFailsTheStart() throws IOException {
        GatewayServer first = server(0);
        GatewayTestNode.await(first.start());
        try {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> server(first.port()).start().toCompletableFuture().get(GatewayTestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(failure.getCause() != null);
        } finally {
            GatewayTestNode.await(first.stop());
        }
    }

    @Test
    void settingsComeFromTheGatewaySection() {
        GatewaySettings defaults = GatewaySettings.fromConfig(com.typesafe.config.ConfigFactory.load().getConfig(GatewaySettings.CONFIG_PATH));

        assertEquals("127.0.0.1", defaults.host());
        assertEquals(8080, defaults.port());
        assertEquals(1024 * 1024, defaults.maxBodyBytes());
        assertEquals("spindle.persistence.query", defaults.readJournalPluginId());
        assertEquals(false, defaults.authRequired());
        assertEquals(com.typesafe.config.ConfigFactory.load().getDuration("spindle.jobs.ask-timeout"), defaults.askTimeout());
        assertTrue(defaults.withApiToken("t").authRequired());
        assertThrows(IllegalArgumentException.class, () -> defaults.withPort(70000));
    }
}
