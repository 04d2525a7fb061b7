package io.spindle.gateway.aliases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.json.Json;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AliasRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();

    private static JsonNode submitToAlias(ApiClient api, String alias, String key) {
        return submitToAlias(api, alias, key, 201);
    }

    private static JsonNode submitToAlias(ApiClient api, String alias, String key, int status) {
        return api.post("/jobs", "{\"type\": \"cpu.echo\", \"alias\": \"" + alias + "\", \"input\": {}, \"idempotency_key\": \"" + key + "\"}")
                .expect(status).json();
    }

    private static JsonNode put(ApiClient api, String path, String body, int status) {
        return api.send(api.builder(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)))
                .expect(status).json();
    }

    @Test
    void jobsOnAnAliasRunOnItsPinnedTargetWhichMovesOnlyByPromotionOrRollback() {
        ApiClient api = NODE.api();
        NODE.config("alias-a", "cpu.echo");
        ModelConfig b1 = NODE.config("alias-b", "cpu.echo");
        // alias-b gets a second version: the alias stays pinned to the version it was promoted to.
        GatewayTestNode.await(NODE.configs().saveConfigVersion(b1.nextVersion(b1, Instant.now())));

        JsonNode created = put(api, "/aliases/echo-prod", "{\"config_id\": \"alias-a\", \"actor\": \"ana\", \"reason\": \"launch\"}", 201);
        assertEquals("alias-a", created.get("target").get("config_id").asText());
        JsonNode first = submitToAlias(api, "echo-prod", "k1");
        assertEquals(List.of("alias-a", "1", "echo-prod"), List.of(first.get("config_id").asText(),
                first.get("config_version").asText(), first.get("alias").asText()));

        api.post("/aliases/echo-prod/promote", "{\"config_id\": \"alias-b\", \"version\": 1}").expectInvalidField("experiment");
        JsonNode forced = api.post("/aliases/echo-prod/promote", "{\"config_id\": \"alias-b\", \"version\": 1, \"force\": true,"
                + " \"actor\": \"ben\", \"reason\": \"hotfix\"}").expect(200).json();
        assertEquals(true, forced.get("history").get(1).get("forced").asBoolean());
        JsonNode second = submitToAlias(api, "echo-prod", "k2");
        assertEquals(List.of("alias-b", "1"), List.of(second.get("config_id").asText(), second.get("config_version").asText()));
        // A retried submission returns its job, on the config it was routed to then.
        JsonNode retried = submitToAlias(api, "echo-prod", "k1", 200);
        assertEquals(List.of(first.get("id"), first.get("config_id")), List.of(retried.get("id"), retried.get("config_id")));

        api.post("/aliases/echo-prod/rollback", "{\"actor\": \"ben\", \"reason\": \"regression\"}").expect(200);
        assertEquals("alias-a", submitToAlias(api, "echo-prod", "k3").get("config_id").asText());

        JsonNode history = api.get("/aliases/echo-prod/history?at=" + second.get("created_at").asText()).expect(200).json();
        assertEquals(List.of("created", "promoted", "rolled_back"),
                Json.mapper().convertValue(history.get("history").findValuesAsText("kind"), List.class));
        assertEquals("alias-b", history.get("target_at").get("config_id").asText());
        api.post("/aliases/echo-prod/rollback", "{}").expectError(409, "invalid_state");
    }

    @Test
    void anAliasPinnedToAnOlderVersionOfADeactivatedConfigRefusesJobs() {
        ApiClient api = NODE.api();
        ModelConfig c1 = NODE.config("alias-c", "cpu.echo");
        put(api, "/aliases/old-pin", "{\"config_id\": \"alias-c\"}", 201);
        GatewayTestNode.await(NODE.configs().saveConfigVersion(c1.nextVersion(c1, Instant.now())));
        assertEquals("1", submitToAlias(api, "old-pin", "c1").get("config_version").asText());

        // Deactivating flips the flag of the latest version (2) only; the alias still points at version 1.
        api.patch("/configs/alias-c", "{\"is_active\": false}").expect(200);
        JsonNode refused = submitToAlias(api, "old-pin", "c2", 409);
        assertEquals("config_inactive", refused.get("error").get("code").asText(), refused::toString);
        assertEquals("old-pin", refused.get("error").get("details").get("alias").asText(), refused::toString);

        api.patch("/configs/alias-c", "{\"is_active\": true}").expect(200);
        assertEquals("1", submitToAlias(api, "old-pin", "c3").get("config_version").asText());
    }

    @Test
    void aliasesAreListedWithTheirTargetAndLastChange() {
        ApiClient api = NODE.api();
        NODE.config("listed-a", "cpu.echo");
        NODE.config("listed-b", "cpu.echo");
        put(api, "/aliases/listed-one", "{\"config_id\": \"listed-a\"}", 201);
        put(api, "/aliases/listed-two", "{\"config_id\": \"listed-a\"}", 201);
        api.post("/aliases/listed-two/promote", "{\"config_id\": \"listed-b\", \"force\": true, \"reason\": \"try\"}").expect(200);

        List<String> names = new java.util.ArrayList<>();
        JsonNode aliases = api.get("/aliases").expect(200).json().get("aliases");
        aliases.forEach(a -> names.add(a.get("name").asText()));
        assertTrue(names.indexOf("listed-one") >= 0 && names.indexOf("listed-one") < names.indexOf("listed-two"), names.toString());
        JsonNode two = aliases.get(names.indexOf("listed-two"));
        assertEquals(List.of("listed-b", "2", "promoted", "true"), List.of(two.get("target").get("config_id").asText(),
                two.get("changes").asText(), two.get("last_change").get("kind").asText(), two.get("last_change").get("forced").asText()));
    }

    @Test
    void unknownAliasesAndTargetsAreNotFound() {
        ApiClient api = NODE.api();
        api.get("/aliases/nobody").expectError(404, "alias_not_found");
        api.post("/jobs", "{\"type\": \"cpu.echo\", \"alias\": \"nobody\", \"input\": {}}").expectError(404, "alias_not_found");
        put(api, "/aliases/ghost", "{\"config_id\": \"no-such-config\"}", 404);
        api.post("/jobs", "{\"type\": \"cpu.echo\", \"alias\": \"x\", \"config_id\": \"y\", \"input\": {}}").expectInvalidField("alias");
    }
}
