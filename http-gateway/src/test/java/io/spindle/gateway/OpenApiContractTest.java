package io.spindle.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/openapi.yaml (the contract the CLI codes against) describes exactly what the gateway serves. */
class OpenApiContractTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static JsonNode spec;

    @BeforeAll
    static void parse() throws IOException {
        Path file = Path.of("..", "docs", "openapi.yaml");
        assertTrue(Files.isRegularFile(file), "docs/openapi.yaml is next to the module: " + file.toAbsolutePath());
        spec = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    }

    private static GatewayRoutes routes() {
        return NODE.newGateway(NODE.settings(), List.of()).routes();
    }

    @Test
    void theContractListsExactlyTheRoutesServed() {
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : spec.get("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    documented.add(method.toUpperCase() + " " + path.getKey());
                }
            });
        }
        Set<String> served = routes().table().endpoints().stream().map(e -> e.method().name() + " " + e.path())
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(served, documented);
    }

    @Test
    void theAllowOfAnUnknownMethodNamesEveryMethodServed() {
        Set<String> served = routes().table().endpoints().stream().map(e -> e.method().name()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> allowed = io.spindle.gateway.http.JsonParsingErrorHandler.API_METHODS.stream().map(m -> m.name())
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(served, allowed);
    }

    @Test
    void onlyHealthIsDocumentedWithoutAuthAsItIsServed() {
        Set<String> open = routes().table().endpoints().stream().filter(e -> e.open()).map(e -> e.method().name() + " " + e.path())
                .collect(Collectors.toSet());
        Set<String> documentedOpen = new TreeSet<>();
        spec.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            JsonNode security = op.getValue().get("security");
            if (METHODS.contains(op.getKey()) && security != null && security.isEmpty()) {
                documentedOpen.add(op.getKey().toUpperCase() + " " + path.getKey());
            }
        }));

        assertEquals(Set.of("GET /health"), open);
        assertEquals(open, documentedOpen);
    }

    @Test
    void theErrorCodesAreExactlyThoseOfErrorCode() {
        Set<String> documented = new TreeSet<>();
        spec.get("components").get("schemas").get("ErrorCode").get("enum").forEach(c -> documented.add(c.asText()));

        assertEquals(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).collect(Collectors.toCollection(TreeSet::new)), documented);
        String described = spec.get("components").get("schemas").get("ErrorCode").get("description").asText();
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(described.contains(code.wireName() + " " + code.httpStatus()), "status of " + code.wireName() + " is documented");
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = spec.findValuesAsText("$ref");
        assertTrue(refs.size() > 50);
        for (String ref : refs) {
            JsonNode target = spec.at(ref.substring(1));
            assertTrue(!target.isMissingNode(), "unresolved " + ref);
        }
    }
}
