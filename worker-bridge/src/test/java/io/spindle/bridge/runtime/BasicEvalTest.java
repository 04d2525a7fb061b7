package io.spindle.bridge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicEvalTest {
    @TempDir
    Path dir;

    @Test
    void durationDeviationIsTheAbsoluteLogRatioInTheScoreSchema() throws Exception {
        try (ShimBridge bridge = new ShimBridge(dir, BasicEval.BACKEND)) {
            Files.createDirectories(bridge.scratch("j1"));
            Files.createDirectories(bridge.scratch("j2"));
            WorkerMessage longer = bridge.run(BasicEval.DURATION_DEVIATION, ShimBridge.json("{\"value\": 2000, \"reference\": 1000}"),
                    BasicEval.BACKEND, null, null);
            WorkerMessage shorter = bridge.run(BasicEval.DURATION_DEVIATION, ShimBridge.json("{\"value\": 500, \"reference\": 1000}"),
                    BasicEval.BACKEND, null, null);

            JsonNode outputs = assertInstanceOf(WorkerMessage.Result.class, longer, longer.toString()).outputs();
            assertEquals("duration_deviation", outputs.get("metric").asText());
            assertEquals(Math.log(2), outputs.get("value").asDouble(), 1e-12);
            assertEquals(2.0, outputs.get("details").get("ratio").asDouble(), 1e-12);
            assertEquals(outputs.get("value"), assertInstanceOf(WorkerMessage.Result.class, shorter).outputs().get("value"));
            JsonNode artifact = FrameCodec.mapper().readTree(bridge.scratch("j1").resolve(ScoreArtifact.FILE_NAME).toFile());
            assertEquals(outputs.get("value"), artifact.get("value"));
        }
    }

    @Test
    void exactMatchComparesJsonValuesAndMissingFieldsAreBadInput() throws Exception {
        try (ShimBridge bridge = new ShimBridge(dir, BasicEval.BACKEND)) {
            for (String id : new String[] {"j1", "j2", "j3"}) {
                Files.createDirectories(bridge.scratch(id));
            }
            WorkerMessage same = bridge.run(BasicEval.EXACT_MATCH, ShimBridge.json("{\"value\": {\"a\": 1}, \"reference\": {\"a\": 1}}"),
                    BasicEval.BACKEND, null, null);
            WorkerMessage differ = bridge.run(BasicEval.EXACT_MATCH, ShimBridge.json("{\"value\": \"x\", \"reference\": \"y\"}"),
                    BasicEval.BACKEND, null, null);
            WorkerMessage missing = bridge.run(BasicEval.EXACT_MATCH, ShimBridge.json("{\"value\": 1}"), BasicEval.BACKEND, null, null);

            assertEquals(1.0, assertInstanceOf(WorkerMessage.Result.class, same).outputs().get("value").asDouble());
            assertEquals(0.0, assertInstanceOf(WorkerMessage.Result.class, differ).outputs().get("value").asDouble());
            WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, missing);
            assertFalse(error.isTransient(), error.toString());
        }
    }
}
