package io.spindle.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", sortOptions = false,
        description = {"Register a config as version 1 (POST /configs), from --file and/or the flags below (flags win).",
            "Example: spindle configs create --id echo-v1 --name Echo --job-type cpu.echo --runtime java"})
public final class ConfigsCreateCommand extends ClientCommand {
    @Option(names = "--file", paramLabel = "JSON|@FILE", description = "The whole ConfigCreate body: JSON, or @FILE (@- for stdin).")
    String file;

    @Option(names = "--id", paramLabel = "ID", description = "Lowercase letters, digits, '.', '_', '-' (at most 63).")
    String id;

    @Option(names = "--name", paramLabel = "NAME", description = "For people.")
    String name;

    @Option(names = "--job-type", paramLabel = "TYPE", split = ",",
            description = "A job type it serves, namespace.name or namespace.*; repeat (or comma-separate) for more.")
    List<String> jobTypes;

    @Option(names = "--runtime", paramLabel = "BACKEND", description = "The runtime backend (vllm, mlx, comfyui, java, python…).")
    String runtimeBackend;

    @Option(names = "--model-ref", paramLabel = "REF", description = "The model it runs (a path, a hub id…).")
    String modelRef;

    @Option(names = "--params", paramLabel = "JSON|@FILE", description = "Runtime params as a JSON object.")
    String params;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "One runtime param (VALUE read as JSON when it is JSON, else as a string); repeat for more.")
    Map<String, String> param;

    @Option(names = "--preferred-node", paramLabel = "NODE", description = "The node it should run on when several host it.")
    String preferredNode;

    @Option(names = "--inactive", description = "Register it inactive (accepting no jobs until activated).")
    boolean inactive;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.createConfig(body());
        if (json()) {
            printJson(reply);
        } else {
            ConfigText.block(reply.as(ModelConfig.class)).print(out());
        }
        return ExitCodes.OK;
    }

    ObjectNode body() {
        ObjectNode body = Json.object();
        if (file != null) {
            JsonNode fromFile = JsonArgument.parseObject(spec.commandLine(), "--file", file);
            body.setAll((ObjectNode) fromFile);
        }
        putIfGiven(body, "id", id);
        putIfGiven(body, "name", name);
        if (jobTypes != null) {
            ArrayNode types = body.putArray("job_types");
            jobTypes.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(types::add);
        }
        putIfGiven(body, "runtime_backend", runtimeBackend);
        putIfGiven(body, "model_ref", modelRef);
        if (params != null || param != null) {
            ObjectNode p = params != null ? (ObjectNode) JsonArgument.parseObject(spec.commandLine(), "--params", params)
                    : body.path("params").isObject() ? (ObjectNode) body.get("params") : Json.object();
            if (param != null) {
                param.forEach((k, v) -> p.set(k, jsonOrText(v)));
            }
            body.set("params", p);
        }
        putIfGiven(body, "preferred_node", preferredNode);
        if (inactive) {
            body.put("is_active", false);
        }
        if (body.isEmpty()) {
            throw usage("give the config with --file or with flags (at least "
                    + String.join(", ", Arrays.asList("--id", "--name", "--job-type", "--runtime")) + ")");
        }
        return body;
    }

    private static void putIfGiven(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static JsonNode jsonOrText(String value) {
        try {
            JsonNode parsed = Json.mapper().readTree(value);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(value) : parsed;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(value);
        }
    }
}
