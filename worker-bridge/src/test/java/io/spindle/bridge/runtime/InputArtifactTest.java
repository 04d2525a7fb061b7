package io.spindle.bridge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputArtifactTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;

    @Test
    void aFetchedReferenceIsItsLocalFile() throws Exception {
        Path wav = Files.writeString(scratch.resolve("in.wav"), "RIFF");
        ObjectNode input = JSON.createObjectNode();
        input.putObject("audio").put("artifact_id", "art_1").put("path", wav.toString()).put("mime", "audio/wav").put("bytes", 4);

        InputArtifact audio = fields(input).inputFile("audio");

        assertEquals(new InputArtifact("art_1", wav, "audio/wav", 4), audio);
    }

    @Test
    void aMissingOrMalformedReferenceIsBadInputNamingTheField() {
        ObjectNode input = JSON.createObjectNode();
        input.put("audio", "art_1");
        input.putArray("images").add(JSON.createObjectNode().put("id", "x"));

        WorkerFailure missing = assertThrows(WorkerFailure.class, () -> fields(JSON.createObjectNode()).inputFile("audio"));
        assertTrue(missing.getMessage().contains("input.audio: required"), missing.getMessage());
        assertFalse(assertThrows(WorkerFailure.class, () -> fields(input).inputFile("audio")).isTransient());
        WorkerFailure inList = assertThrows(WorkerFailure.class, () -> fields(input).inputFiles("images", 10));
        assertTrue(inList.getMessage().contains("input.images[0]: must be an artifact reference"), inList.getMessage());
    }

    @Test
    void aReferenceTheNodeDidNotFetchIsTransient() {
        ObjectNode input = JSON.createObjectNode();
        input.putObject("audio").put("artifact_id", "art_1");

        assertTrue(assertThrows(WorkerFailure.class, () -> fields(input).inputFile("audio")).isTransient());
    }

    @Test
    void aListIsBounded() {
        ObjectNode input = JSON.createObjectNode();
        input.putArray("images").add(JSON.createObjectNode()).add(JSON.createObjectNode());

        WorkerFailure tooMany = assertThrows(WorkerFailure.class, () -> fields(input).inputFiles("images", 1));
        assertTrue(tooMany.getMessage().contains("at most 1 artifacts, was 2"), tooMany.getMessage());
    }

    private RunFields fields(ObjectNode input) {
        return new RunFields(new JobRun("j1", "audio.transcribe", input, "c", 1, JSON.createObjectNode(), 1, scratch,
                Instant.now().plusSeconds(60), "pocketsphinx", null));
    }
}
