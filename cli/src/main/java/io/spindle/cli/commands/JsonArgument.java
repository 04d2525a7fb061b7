package io.spindle.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** A JSON value given on the command line as is, or as {@code @FILE} (a file's content; {@code @-} is stdin). */
final class JsonArgument {
    private JsonArgument() {}

    static JsonNode parse(CommandLine cmd, String option, String value) {
        String text = value;
        String source = option;
        if (value.startsWith("@")) {
            String file = value.substring(1);
            source = option + " " + value;
            try {
                text = file.equals("-")
                        ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(cmd, source + ": cannot read " + file + " (" + e + ")");
            }
        }
        try {
            JsonNode node = Json.mapper().readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new CommandLine.ParameterException(cmd, source + " is empty, expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new CommandLine.ParameterException(cmd, source + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static JsonNode parseObject(CommandLine cmd, String option, String value) {
        JsonNode node = parse(cmd, option, value);
        if (!node.isObject()) {
            throw new CommandLine.ParameterException(cmd, option + " must be a JSON object, e.g. '{\"prompt\": \"…\"}'");
        }
        return node;
    }
}
