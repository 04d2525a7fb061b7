package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.FakeApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigAndClusterCommandsTest {
    private static final String ECHO = "{\"id\":\"echo-v1\",\"name\":\"Echo\",\"version\":2,\"job_types\":[\"cpu.echo\",\"cpu.sleep\"],"
            + "\"runtime_backend\":\"java\",\"params\":{\"workers\":2},\"is_active\":true,\"created_at\":\"2026-11-28T10:00:00Z\"}";
    private static final String SDXL = "{\"id\":\"sdxl\",\"name\":\"SDXL base\",\"version\":1,\"job_types\":[\"image.*\"],"
            + "\"runtime_backend\":\"comfyui\",\"model_ref\":\"sdxl-base-1.0\",\"params\":{},\"is_active\":false,\"created_at\":\"2026-11-28T11:00:00Z\"}";

    @AutoClose
    private final FakeApi api = new FakeApi();

    @Test
    void configsListPrintsATable() {
        api.onJson("GET", "/configs", 200, "{\"configs\":[" + ECHO + "," + SDXL + "]}");
        List<String> lines = Cli.against(api.uri(), "configs", "list").assertOk().out().lines().toList();
        assertEquals("ID       NAME       VERSION  ACTIVE  JOB TYPES           RUNTIME  MODEL          CREATED", lines.get(0));
        assertEquals("echo-v1  Echo       2        yes     cpu.echo,cpu.sleep  java     -              2026-11-28T10:00:00Z", lines.get(1));
        assertEquals("sdxl     SDXL base  1        no      image.*             comfyui  sdxl-base-1.0  2026-11-28T11:00:00Z", lines.get(2));
    }

    @Test
    void configsGetPrintsAKeyValueBlockOfTheAskedVersion() {
        api.onJson("GET", "/configs/echo-v1", 200, ECHO);
        String out = Cli.against(api.uri(), "configs", "get", "echo-v1", "--version", "2").assertOk().out();
        assertEquals("version=2", api.last("GET", "/configs/echo-v1").query());
        assertTrue(out.contains("\njob types: cpu.echo cpu.sleep\n"), out);
        assertTrue(out.contains("\nparams:    {\"workers\":2}\n"), out);
    }

    @Test
    void configsCreateFromFlags() {
        api.onJson("POST", "/configs", 201, SDXL);
        Cli.against(api.uri(), "configs", "create", "--id", "sdxl", "--name", "SDXL base", "--job-type", "image.generate,image.upscale",
                "--runtime", "comfyui", "--model-ref", "sdxl-base-1.0", "--param", "steps=30", "--param", "sampler=euler",
                "--preferred-node", "gpu-1", "--inactive").assertOk();
        JsonNode body = ApiJson.parse(api.last("POST", "/configs").body());
        assertEquals("sdxl", body.get("id").asText());
        assertEquals(List.of("image.generate", "image.upscale"), List.of(body.get("job_types").get(0).asText(), body.get("job_types").get(1).asText()));
        assertEquals("comfyui", body.get("runtime_backend").asText());
        assertEquals("sdxl-base-1.0", body.get("model_ref").asText());
        assertEquals(30, body.get("params").get("steps").asInt(), "a JSON value stays JSON");
        assertEquals("euler", body.get("params").get("sampler").asText(), "anything else is a string");
        assertEquals("gpu-1", body.get("preferred_node").asText());
        assertEquals(false, body.get("is_active").asBoolean());
    }

    @Test
    void configsCreateFromAFileWithFlagsOverriding(@TempDir Path dir) throws IOException {
        api.onJson("POST", "/configs", 201, ECHO);
        Path file = Files.writeString(dir.resolve("c.json"), "{\"id\":\"echo-v1\",\"name\":\"Echo\",\"job_types\":[\"cpu.echo\"],\"runtime_backend\":\"java\"}");
        String out = Cli.against(api.uri(), "configs", "create", "--file", "@" + file, "--name", "Echo 2").assertOk().out();
        JsonNode body = ApiJson.parse(api.last("POST", "/configs").body());
        assertEquals("Echo 2", body.get("name").asText());
        assertEquals("java", body.get("runtime_backend").asText());
        assertTrue(out.startsWith("id:"), out);
    }

    @Test
    void configsCreateWithNothingIsAUsageError() {
        Cli.against(api.uri(), "configs", "create").assertFailed(ExitCodes.USAGE);
        assertTrue(api.requests().isEmpty());
    }

    @Test
    void configsCreateOfAnExistingIdIsAnApiError() {
        api.on("POST", "/configs", FakeApi.error(409, "already_exists", "config 'echo-v1' already exists"));
        Cli.Result r = Cli.against(api.uri(), "configs", "create", "--id", "echo-v1").assertFailed(ExitCodes.API_ERROR);
        assertEquals("spindle: config 'echo-v1' already exists (already_exists)\n", r.err());
    }

    @Test
    void activateAndDeactivatePatchTheActiveFlag() {
        api.onJson("PATCH", "/configs/sdxl", 200, SDXL);
        Cli.against(api.uri(), "configs", "activate", "sdxl").assertOk();
        assertEquals("{\"is_active\":true}", api.last("PATCH", "/configs/sdxl").body());
        String json = Cli.against(api.uri(), "configs", "deactivate", "sdxl", "--json").assertOk().out();
        assertEquals("{\"is_active\":false}", api.last("PATCH", "/configs/sdxl").body());
        assertEquals("sdxl", ApiJson.parse(json).get("id").asText());
    }

    @Test
    void anUnknownConfigIsNotFound() {
        api.on("GET", "/configs/x", FakeApi.error(404, "config_not_found", "config 'x' not found"));
        Cli.Result r = Cli.against(api.uri(), "configs", "get", "x").assertFailed(ExitCodes.NOT_FOUND);
        assertEquals("spindle: config 'x' not found (config_not_found)\n", r.err());
    }

    @Test
    void clusterNodesPrintsATableMarkingTheAnsweringNode() {
        api.onJson("GET", "/cluster/nodes", 200, "{\"nodes\":["
                + "{\"address\":\"pekko://spindle@10.0.0.5:25520\",\"node_name\":\"control\",\"roles\":[\"control\",\"dc-default\"],"
                + "\"status\":\"up\",\"up_since\":\"2026-11-28T09:00:00Z\",\"reachable\":true,\"self\":true,\"hosted_configs\":[\"echo-v1\"]},"
                + "{\"address\":\"pekko://spindle@10.0.0.6:25520\",\"roles\":[\"gpu\"],\"status\":\"joining\",\"reachable\":false,"
                + "\"self\":false,\"hosted_configs\":[]}]}");
        List<String> lines = Cli.against(api.uri(), "cluster", "nodes").assertOk().out().lines().toList();
        assertEquals("NODE       ADDRESS                         STATUS   REACHABLE  ROLES               UP SINCE              CONFIGS", lines.get(0));
        assertEquals("control *  pekko://spindle@10.0.0.5:25520  up       yes        control,dc-default  2026-11-28T09:00:00Z  echo-v1", lines.get(1));
        assertEquals("-          pekko://spindle@10.0.0.6:25520  joining  no         gpu                 -                     -", lines.get(2));
    }

    @Test
    void clusterConfigsPrintsPlacementAndJsonAsIs() {
        String body = "{\"configs\":[{\"config_id\":\"echo-v1\",\"nodes\":[\"control\",\"gpu-1\"]}]}";
        api.onJson("GET", "/cluster/configs", 200, body);
        assertEquals("CONFIG   NODES\necho-v1  control,gpu-1\n", Cli.against(api.uri(), "cluster", "configs").assertOk().out());
        assertEquals(body, Cli.against(api.uri(), "cluster", "configs", "--json").assertOk().out().strip());
    }
}
