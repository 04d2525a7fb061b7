package io.spindle.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.GatewayTestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The input limits of every JSON body (spindle.gateway.json): what a store cannot hold or the read model
 * cannot project is refused with 400 naming its path, and nothing is created.
 */
class InputLimitsTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "limits-config";
    private static final int MAX_DEPTH = 32;
    /** Where the parser stops: a body nests at most 40 levels, so in POST /jobs the input's level 40 is its last. */
    private static final int MAX_BODY_DEPTH = 40;

    private ApiClient api;
    private int ticketsBefore;

    @BeforeEach
    void setUp() {
        NODE.config(CONFIG, "cpu.echo", "cpu.fail");
        api = NODE.api();
        ticketsBefore = NODE.queue().tickets().size();
    }

    private static String job(String input) {
        return "{\"type\": \"cpu.echo\", \"config_id\": \"" + CONFIG + "\", \"input\": " + input + "}";
    }

    /** An object nesting {@code levels} levels, itself the first: {"a":{"a":...{}}}. */
    static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    /** The path of the innermost object of {@link #nested}, below {@code root}. */
    static String nestedPath(String root, int levels) {
        return root + ".a".repeat(levels - 1);
    }

    private void nothingQueued() {
        assertEquals(ticketsBefore, NODE.queue().tickets().size(), "nothing was created");
    }

    @Test
    void aNulCharacterInAnInputKeyIsRefusedNamingItsPath() {
        String message = api.post("/jobs", job("{\"ok\": {\"\\u0000\": 1}}")).expectInvalidField("input.ok.\u0000");
        assertTrue(message.contains("NUL"), message);
        api.post("/jobs", job("{\"list\": [1, {\"a\\u0000b\": 1}]}")).expectInvalidField("input.list[1].a\u0000b");
        nothingQueued();
    }

    @Test
    void aNulCharacterInAStringIsRefusedAnywhere() {
        api.post("/jobs", job("{\"text\": \"x\\u0000y\"}")).expectInvalidField("input.text");
        api.post("/jobs", "{\"type\": \"cpu.echo\", \"config_id\": \"" + CONFIG + "\", \"input\": {}, \"labels\": {\"t\": \"\\u0000\"}}")
                .expectInvalidField("labels.t");
        nothingQueued();
    }

    @Test
    void anUnpairedSurrogateOrAnUnstorableNumberIsRefused() {
        api.post("/jobs", job("{\"s\": \"\\ud800\"}")).expectInvalidField("input.s");
        api.post("/jobs", job("{\"n\": 1e999}")).expectInvalidField("input.n");
        api.post("/jobs", job("{\"n\": " + "9".repeat(35) + "}")).expectInvalidField("input.n");
        nothingQueued();
        api.post("/jobs", job("{\"s\": \"\\ud83d\\ude00\", \"n\": " + "9".repeat(34) + ", \"$set\": 1, \"a.b\": 2}")).expect(201);
    }

    @Test
    void inputAtTheMaximumDepthIsAcceptedAndOneLevelMoreIsRefusedNamingThePath() {
        api.post("/jobs", job(nested(MAX_DEPTH))).expect(201);
        String message = api.post("/jobs", job(nested(MAX_DEPTH + 1))).expectInvalidField(nestedPath("input", MAX_DEPTH + 1));
        assertTrue(message.contains("at most " + MAX_DEPTH), message);
    }

    @Test
    void deeplyNestedInputIsRefusedNotStored() {
        String message = api.post("/jobs", job(nested(400))).expectInvalidField(nestedPath("input", MAX_BODY_DEPTH));
        assertTrue(message.contains("at most " + MAX_BODY_DEPTH), message);
        api.post("/jobs", job(nested(999))).expectInvalidField(nestedPath("input", MAX_BODY_DEPTH));
        api.post("/jobs", job(nested(MAX_BODY_DEPTH - 2))).expectInvalidField(nestedPath("input", MAX_DEPTH + 1));
        api.post("/jobs/batch", "{\"jobs\": [" + job(nested(MAX_DEPTH + 1)) + "]}").expect(200);
        nothingQueued();
    }

    @Test
    void deeplyNestedConfigParamsAreRefused() {
        api.post("/configs", "{\"id\": \"deep-params\", \"name\": \"Deep\", \"job_types\": [\"cpu.echo\"], \"runtime_backend\": \"test\","
                + " \"params\": " + nested(MAX_DEPTH + 1) + "}").expectInvalidField(nestedPath("params", MAX_DEPTH + 1));
        api.patch("/configs/" + CONFIG, "{\"params\": " + nested(MAX_DEPTH + 1) + "}").expectInvalidField(nestedPath("params", MAX_DEPTH + 1));
        api.patch("/configs/" + CONFIG, "{\"params\": " + nested(999) + "}").expectInvalidField(nestedPath("params", MAX_BODY_DEPTH));
        assertEquals(1, NODE.await(NODE.configs().configVersions(CONFIG)).size(), "no new version");
    }

    @Test
    void aKeyGivenTwiceIsRefusedNotLastOneWins() {
        String message = api.post("/jobs", "{\"type\": \"cpu.echo\", \"type\": \"cpu.fail\", \"config_id\": \"" + CONFIG + "\", \"input\": {}}")
                .expectInvalidField("type");
        assertTrue(message.contains("Duplicate"), message);
        api.post("/jobs", job("{\"a\": {\"k\": 1, \"k\": 2}}")).expectInvalidField("input.a.k");
        api.patch("/configs/" + CONFIG, "{\"name\": \"a\", \"name\": \"b\"}").expectInvalidField("name");
        nothingQueued();
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        assertEquals("must be a JSON object, not null", api.post("/configs", "null").expectInvalidField("body"));
        api.patch("/configs/" + CONFIG, "null").expectInvalidField("body");
        api.post("/jobs", "null").expectInvalidField("body");
        api.post("/jobs", "[1]").expectInvalidField("body");
        api.post("/jobs/batch", "\"x\"").expectInvalidField("body");
        api.post("/jobs/some-id/cancel", "null").expectInvalidField("body");
        nothingQueued();
    }
}
