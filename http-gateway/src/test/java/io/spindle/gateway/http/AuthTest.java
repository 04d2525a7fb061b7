package io.spindle.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With an API token configured every endpoint but /health needs it. */
class AuthTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String TOKEN = "s3cret-token-0123456789";

    private static ApiClient api;

    @BeforeAll
    static void gatewayWithToken() {
        api = NODE.startGateway(NODE.settings().withApiToken(TOKEN), List.of());
    }

    @Test
    void healthNeedsNoToken() {
        api.get("/health").expect(200);
    }

    @Test
    void everyOtherEndpointNeedsTheToken() {
        for (String path : List.of("/jobs", "/configs", "/ready", "/metrics", "/cluster/nodes", "/no-such-endpoint")) {
            ApiResponse r = api.get(path);
            r.expectError(401, "unauthorized");
            assertEquals("Bearer realm=\"spindle\"", r.header("WWW-Authenticate").orElseThrow(), path);
        }
        api.post("/jobs", "{}").expectError(401, "unauthorized");
    }

    @Test
    void aWrongTokenOrSchemeIsRefused() {
        assertTrue(api.get("/configs", "Authorization", "Bearer wrong").expectError(401, "unauthorized")
                .get("message").asText().contains("not valid"));
        api.get("/configs", "Authorization", "Bearer " + TOKEN + "x").expectError(401, "unauthorized");
        api.get("/configs", "Authorization", "Bearer " + TOKEN.substring(1)).expectError(401, "unauthorized");
        api.get("/configs", "Authorization", "Basic " + TOKEN).expectError(401, "unauthorized");
        api.get("/configs", "Authorization", TOKEN).expectError(401, "unauthorized");
        api.get("/configs", "Authorization", "Bearer").expectError(401, "unauthorized");
    }

    @Test
    void theRightTokenIsAcceptedWhateverTheSchemesCase() {
        api.get("/configs", "Authorization", "Bearer " + TOKEN).expect(200);
        api.get("/configs", "Authorization", "bearer " + TOKEN).expect(200);
        api.post("/jobs", "{}", "Authorization", "Bearer " + TOKEN).expectInvalidField("type");
    }

    @Test
    void withoutATokenConfiguredNothingIsRequired() {
        NODE.api().get("/configs").expect(200);
        assertEquals(false, new BearerAuth("").enabled());
        assertEquals(false, new BearerAuth(null).enabled());
    }
}
