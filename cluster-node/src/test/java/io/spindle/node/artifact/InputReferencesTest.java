package io.spindle.node.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.json.Json;
import io.spindle.model.validation.FieldError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputReferencesTest {

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void referencesAreFoundAsTopLevelFieldsAndInTopLevelListsNamedByTheirPath() {
        JsonNode input = json("""
                {"audio": {"artifact_id": "art_a"}, "text": "hi",
                 "images": [{"artifact_id": "art_b"}, "plain", {"artifact_id": "art_a"}]}""");

        assertEquals(List.of(new InputReferences.Reference("input.audio", "art_a"),
                new InputReferences.Reference("input.images[0]", "art_b"),
                new InputReferences.Reference("input.images[2]", "art_a")), InputReferences.scan(input));
        assertEquals(List.of("art_a", "art_b"), InputReferences.artifactIds(input), "each artifact once, in order of mention");
    }

    @Test
    void deeperObjectsAreDataNotReferences() {
        JsonNode input = json("""
                {"options": {"source": {"artifact_id": "art_deep"}}, "grid": [[{"artifact_id": "art_nested"}]]}""");

        assertTrue(InputReferences.scan(input).isEmpty());
        assertTrue(InputReferences.problems(input, 0).isEmpty());
    }

    @Test
    void aMalformedIdIsAProblemNamingItsPath() {
        JsonNode input = json("""
                {"audio": {"artifact_id": 7}, "images": [{"artifact_id": "art_ok"}, {"artifact_id": " "}]}""");

        assertEquals(List.of(new FieldError("input.audio.artifact_id", "must be an artifact id (\"art_…\")"),
                new FieldError("input.images[1].artifact_id", "must be an artifact id (\"art_…\")")),
                InputReferences.problems(input, 32));
        assertEquals(List.of(new InputReferences.Reference("input.images[0]", "art_ok")), InputReferences.scan(input));
    }

    @Test
    void moreReferencesThanAllowedIsAProblem() {
        JsonNode input = json("""
                {"images": [{"artifact_id": "art_1"}, {"artifact_id": "art_2"}, {"artifact_id": "art_3"}]}""");

        assertTrue(InputReferences.problems(input, 3).isEmpty());
        List<FieldError> tooMany = InputReferences.problems(input, 2);
        assertEquals(1, tooMany.size());
        assertEquals("input", tooMany.get(0).field());
        assertTrue(tooMany.get(0).message().contains("references 3 artifacts; at most 2"), tooMany.get(0).message());
    }

    @Test
    void theRunInputGetsEachFileWhileTheJobInputStaysAsSubmitted() {
        JsonNode input = json("""
                {"audio": {"artifact_id": "art_a", "path": "/etc/passwd"}, "images": [{"artifact_id": "art_a"}], "n": 1}""");
        String submitted = input.toString();
        Path file = Path.of("/scratch/.inputs/art_a.wav");

        JsonNode run = InputReferences.withFiles(input, Map.of("art_a", new InputReferences.Fetched("art_a", file, "audio/wav", 44)));

        assertEquals(submitted, input.toString(), "the job's own input is not changed");
        for (JsonNode reference : List.of(run.get("audio"), run.get("images").get(0))) {
            assertEquals("art_a", reference.get("artifact_id").asText());
            assertEquals(file.toString(), reference.get("path").asText(), "a path the client wrote is replaced");
            assertEquals("audio/wav", reference.get("mime").asText());
            assertEquals(44, reference.get("bytes").asLong());
        }
        assertEquals(1, run.get("n").asInt());
        assertFalse(run == input);
    }

    @Test
    void theFileKeepsTheStoredNamesExtension() {
        assertEquals(".wav", InputFetcher.extension("cfg/job/1/art_x/speech.wav"));
        assertEquals(".mp4", InputFetcher.extension("video.mp4"));
        assertEquals("", InputFetcher.extension("cfg/job/1/art_x/README"));
        assertEquals("", InputFetcher.extension("cfg/job/1/art_x/.hidden"));
        assertEquals("", InputFetcher.extension("cfg/job/1/art_x/odd.ext-with-dash"));
    }
}
