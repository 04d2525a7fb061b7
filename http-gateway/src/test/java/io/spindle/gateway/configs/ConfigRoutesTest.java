package io.spindle.gateway.configs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConfigRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();

    private ApiClient api;
    private String id;

    @BeforeEach
    void setUp() {
        api = NODE.api();
        id = "cfg-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String definition(String configId) {
        return """
                {"id": "%s", "name": "Echo", "job_types": ["cpu.echo", "text.*"], "runtime_backend": "builtin",
                 "model_ref": "none", "params": {"temperature": 0.5}}""".formatted(configId);
    }

    @Test
    void createRegistersVersionOneActiveWithLocation() {
        ApiResponse created = api.post("/configs", definition(id)).expect(201);

        JsonNode body = created.json();
        assertEquals(id, body.get("id").asText());
        assertEquals(1, body.get("version").asInt());
        assertTrue(body.get("is_active").asBoolean());
        assertEquals("builtin", body.get("runtime_backend").asText());
        assertEquals(0.5, body.get("params").get("temperature").asDouble());
        assertTrue(body.hasNonNull("created_at"));
        assertEquals("/configs/" + id, created.header("Location").orElseThrow().replaceFirst("^http://[^/]+", ""));
        assertEquals(body, api.get("/configs/" + id).expect(200).json());
    }

    @Test
    void theQuickStartBodyRegistersItsVersionAsALabelBesideTheRevision() {
        String quickStart = """
                {"id":"%s","name":"OpenAI TTS","version":"v1","job_types":["audio.tts"],
                 "preferred_node":"control-node","runtime_backend":"openai","model_ref":"tts-1-hd","is_active":true}"""
                .formatted(id);

        JsonNode body = api.post("/configs", quickStart).expect(201).json();

        assertEquals(1, body.get("version").asInt(), "the revision stays Spindle's integer");
        assertEquals("v1", body.get("version_label").asText());
        assertEquals("v1", api.get("/configs/" + id).expect(200).json().get("version_label").asText());
    }

    @Test
    void aNewLabelMakesANewRevisionAndTheOldOneKeepsItsLabel() {
        api.post("/configs", definition(id).replace("\"name\"", "\"version_label\": \"v1\", \"name\"")).expect(201);

        JsonNode patched = api.patch("/configs/" + id, "{\"version_label\": \"v2\"}").expect(200).json();

        assertEquals(2, patched.get("version").asInt());
        assertEquals("v2", patched.get("version_label").asText());
        assertEquals("v1", api.get("/configs/" + id + "?version=1").expect(200).json().get("version_label").asText());
    }

    @Test
    void aVersionThatDisagreesWithTheLabelOrABlankLabelIsRefused() {
        api.post("/configs", definition(id).replace("\"name\"", "\"version\": \"v1\", \"version_label\": \"v2\", \"name\""))
                .expectError(400, "validation_failed");
        api.post("/configs", definition(id).replace("\"name\"", "\"version_label\": \" \", \"name\"")).expectError(400, "validation_failed");
    }

    @Test
    void createCanRegisterAnInactiveConfig() {
        String body = definition(id).replace("\"model_ref\"", "\"is_active\": false, \"model_ref\"");

        assertFalse(api.post("/configs", body).expect(201).json().get("is_active").asBoolean());
    }

    @Test
    void createOfATakenIdIsAConflictAndChangesNothing() {
        api.post("/configs", definition(id)).expect(201);

        api.post("/configs", definition(id).replace("Echo", "Other")).expectError(409, "already_exists");
        assertEquals("Echo", api.get("/configs/" + id).json().get("name").asText());
    }

    @Test
    void createNamesEveryInvalidField() {
        ApiResponse r = api.post("/configs", """
                {"id": "Bad Id", "name": "", "job_types": ["cpu.echo", "nope"], "model_ref": ""}""");

        r.expectInvalidField("id");
        r.expectInvalidField("name");
        r.expectInvalidField("job_types[1]");
        r.expectInvalidField("runtime_backend");
        r.expectInvalidField("model_ref");
        api.get("/configs/bad%20id").expectError(404, "config_not_found");
    }

    @Test
    void createRefusesUnknownFieldsWrongTypesAndNulls() {
        assertTrue(api.post("/configs", definition(id).replace("\"name\"", "\"colour\": 1, \"name\"")).expectInvalidField("colour")
                .contains("unknown field"));
        assertEquals("must be true or false",
                api.post("/configs", definition(id).replace("\"name\"", "\"is_active\": \"yes\", \"name\"")).expectInvalidField("is_active"));
        assertEquals("must be an array", api.post("/configs", definition(id).replace("[\"cpu.echo\", \"text.*\"]", "\"cpu.echo\""))
                .expectInvalidField("job_types"));
        assertEquals("must not be null", api.post("/configs", definition(id).replace("[\"cpu.echo\", \"text.*\"]", "[\"cpu.echo\", null]"))
                .expectInvalidField("job_types[1]"));
        assertEquals("must be a JSON object", api.post("/configs", definition(id).replace("{\"temperature\": 0.5}", "[1]"))
                .expectInvalidField("params"));
        api.get("/configs/" + id).expectError(404, "config_not_found");
    }

    @Test
    void listShowsTheLatestVersionOfEveryConfig() {
        api.post("/configs", definition(id)).expect(201);
        api.patch("/configs/" + id, "{\"name\": \"Echo 2\"}").expect(200);

        JsonNode configs = api.get("/configs").expect(200).json().get("configs");

        JsonNode mine = null;
        for (JsonNode c : configs) {
            if (c.get("id").asText().equals(id)) {
                mine = c;
            }
        }
        assertEquals(2, mine.get("version").asInt());
        assertEquals("Echo 2", mine.get("name").asText());
        api.get("/configs?limit=3").expectInvalidField("limit");
    }

    @Test
    void changingTheDefinitionMakesANewVersionAndKeepsTheOldOnes() {
        api.post("/configs", definition(id)).expect(201);

        JsonNode v2 = api.patch("/configs/" + id, "{\"job_types\": [\"cpu.*\"], \"model_ref\": null}").expect(200).json();

        assertEquals(2, v2.get("version").asInt());
        assertEquals(List.of("cpu.*"), List.of(v2.get("job_types").get(0).asText()));
        assertFalse(v2.has("model_ref"), "null clears model_ref");
        assertEquals("Echo", v2.get("name").asText(), "fields not given are kept");
        JsonNode versions = api.get("/configs/" + id + "/versions").expect(200).json();
        assertEquals(id, versions.get("config_id").asText());
        assertEquals(2, versions.get("versions").size());
        assertEquals("none", versions.get("versions").get(0).get("model_ref").asText());
        assertEquals(1, api.get("/configs/" + id + "?version=1").expect(200).json().get("version").asInt());
        assertEquals(2, api.get("/configs/" + id + "?version=2").expect(200).json().get("version").asInt());
        assertEquals(2, api.get("/configs/" + id).json().get("version").asInt());
    }

    @Test
    void theSameDefinitionMakesNoNewVersion() {
        api.post("/configs", definition(id)).expect(201);

        JsonNode same = api.patch("/configs/" + id, "{\"name\": \"Echo\", \"params\": {\"temperature\": 0.5}}").expect(200).json();

        assertEquals(1, same.get("version").asInt());
        assertEquals(1, api.get("/configs/" + id + "/versions").json().get("versions").size());
    }

    @Test
    void activeFlagFlipsWithoutANewVersionOrTogetherWithOne() {
        api.post("/configs", definition(id)).expect(201);

        JsonNode off = api.patch("/configs/" + id, "{\"is_active\": false}").expect(200).json();
        assertFalse(off.get("is_active").asBoolean());
        assertEquals(1, off.get("version").asInt());

        JsonNode v2 = api.patch("/configs/" + id, "{\"is_active\": true, \"name\": \"Echo again\"}").expect(200).json();
        assertTrue(v2.get("is_active").asBoolean());
        assertEquals(2, v2.get("version").asInt());
        assertFalse(api.get("/configs/" + id + "?version=1").json().get("is_active").asBoolean());
    }

    @Test
    void anInvalidChangeIsRefusedWholeAndWritesNothing() {
        api.post("/configs", definition(id)).expect(201);

        ApiResponse r = api.patch("/configs/" + id, "{\"name\": \"New\", \"job_types\": [], \"is_active\": false}");

        r.expectInvalidField("job_types");
        JsonNode current = api.get("/configs/" + id).json();
        assertEquals("Echo", current.get("name").asText());
        assertTrue(current.get("is_active").asBoolean());
        assertEquals(1, current.get("version").asInt());
    }

    @Test
    void patchRefusals() {
        api.post("/configs", definition(id)).expect(201);

        api.patch("/configs/" + id, "{}").expectInvalidField("body");
        api.patch("/configs/" + id, "{\"version\": 7}").expectInvalidField("version");
        api.patch("/configs/" + id, "{\"id\": \"other\"}").expectInvalidField("id");
        api.patch("/configs/" + id, "{\"is_active\": null}").expectInvalidField("is_active");
        api.patch("/configs/" + id, "{\"is_active\": 1}").expectInvalidField("is_active");
        api.patch("/configs/" + id, "[]").expectInvalidField("body");
        api.patch("/configs/no-such-config", "{\"is_active\": false}").expectError(404, "config_not_found");
    }

    @Test
    void versionQueryParameterIsChecked() {
        api.post("/configs", definition(id)).expect(201);

        assertTrue(api.get("/configs/" + id + "?version=abc").expectInvalidField("version").contains("integer"));
        api.get("/configs/" + id + "?version=0").expectInvalidField("version");
        JsonNode missing = api.get("/configs/" + id + "?version=9").expectError(404, "config_not_found");
        assertEquals(1, missing.get("details").get("latest_version").asInt());
        api.get("/configs/" + id + "?colour=red").expectInvalidField("colour");
    }

    @Test
    void unknownConfigsAreNotFound() {
        api.get("/configs/no-such-config").expectError(404, "config_not_found");
        api.get("/configs/no-such-config?version=1").expectError(404, "config_not_found");
        api.get("/configs/no-such-config/versions").expectError(404, "config_not_found");
    }
}
