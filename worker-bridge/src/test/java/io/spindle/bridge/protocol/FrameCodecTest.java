package io.spindle.bridge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private final FrameCodec codec = new FrameCodec();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) FrameCodec.mapper().readTree(text);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The payload of an encoded frame, after checking its length prefix. */
    private static byte[] payload(ByteBuffer frame) {
        int length = frame.getInt();
        assertEquals(frame.remaining(), length, "length prefix");
        byte[] payload = new byte[length];
        frame.get(payload);
        return payload;
    }

    @Test
    void everyWorkerMessageSurvivesARoundTrip() throws Exception {
        List<WorkerMessage> messages = List.of(
                new WorkerMessage.Hello("w", List.of("cpu.echo", "image.*"), "1.2", 4242),
                new WorkerMessage.Progress("j1", 42.5, "halfway"),
                new WorkerMessage.Heartbeat("j1"),
                new WorkerMessage.Heartbeat(null),
                new WorkerMessage.Log(null, "warn", "low memory"),
                new WorkerMessage.Result("j1", json("{\"text\":\"hé\",\"n\":[1,2]}"),
                        List.of(new ArtifactRef("out/a.png", "image", "image/png"))),
                new WorkerMessage.Error("j1", "CUDA OOM", "gpu_oom", true),
                new WorkerMessage.Error("j1", "bad prompt", "invalid_input", false));
        for (WorkerMessage message : messages) {
            assertEquals(message, codec.decodeWorkerMessage(payload(codec.encode(message))));
        }
    }

    @Test
    void everyBridgeMessageSurvivesARoundTrip() throws Exception {
        List<BridgeMessage> messages = List.of(
                new BridgeMessage.Run("j1", "cpu.echo", json("{\"a\":1}"),
                        new BridgeMessage.RunConfig("cfg", 3, json("{\"temperature\":0.2}")), 2, "/tmp/s/j1", 1_700_000_000_000L),
                new BridgeMessage.Cancel("j1"),
                new BridgeMessage.Shutdown());
        for (BridgeMessage message : messages) {
            assertEquals(message, codec.decodeBridgeMessage(payload(codec.encode(message))));
        }
    }

    @Test
    void framesAreSnakeCaseJsonNamedByOp() throws Exception {
        JsonNode run = FrameCodec.mapper().readTree(payload(codec.encode(new BridgeMessage.Run("j1", "cpu.sleep",
                json("{\"duration_ms\":5}"), new BridgeMessage.RunConfig("cfg", 1, null), 1, "/s", 99L))));
        assertEquals("run", run.get("op").asText());
        assertEquals("j1", run.get("job_id").asText());
        assertEquals("/s", run.get("scratch_dir").asText());
        assertEquals(99L, run.get("deadline").asLong());
        assertEquals(5, run.get("input").get("duration_ms").asInt());
        assertEquals("cfg", run.get("config").get("id").asText());

        JsonNode error = FrameCodec.mapper().readTree(payload(codec.encode(new WorkerMessage.Error("j1", "m", "c", true))));
        assertEquals("error", error.get("op").asText());
        assertTrue(error.get("transient").asBoolean());
        assertFalse(error.has("is_transient"));

        JsonNode heartbeat = FrameCodec.mapper().readTree(payload(codec.encode(new WorkerMessage.Heartbeat(null))));
        assertEquals("{\"op\":\"heartbeat\"}", heartbeat.toString());

        JsonNode shutdown = FrameCodec.mapper().readTree(payload(codec.encode(new BridgeMessage.Shutdown())));
        assertEquals("{\"op\":\"shutdown\"}", shutdown.toString());
    }

    @Test
    void decodesWhatAPythonWorkerWrites() throws Exception {
        WorkerMessage result = codec.decodeWorkerMessage(bytes(
                "{\"op\":\"result\",\"job_id\":\"j9\",\"outputs\":{\"x\":1},"
                        + "\"artifacts\":[{\"path\":\"echo.json\",\"kind\":\"json\",\"mime\":\"application/json\"}],"
                        + "\"future_field\":true}"));
        WorkerMessage.Result r = (WorkerMessage.Result) result;
        assertEquals("j9", r.jobId());
        assertEquals(1, r.outputs().get("x").asInt());
        assertEquals(List.of(new ArtifactRef("echo.json", "json", "application/json")), r.artifacts());

        WorkerMessage.Progress progress = (WorkerMessage.Progress) codec.decodeWorkerMessage(
                bytes("{\"job_id\":\"j9\",\"percent\":50,\"op\":\"progress\"}"));
        assertEquals(50.0, progress.percent());
        assertNull(progress.message());

        WorkerMessage.Error error = (WorkerMessage.Error) codec.decodeWorkerMessage(
                bytes("{\"op\":\"error\",\"job_id\":\"j9\",\"message\":\"x\"}"));
        assertFalse(error.isTransient(), "a missing transient flag reads as permanent");
        assertEquals(WorkerMessage.Error.DEFAULT_CODE, error.code());
    }

    @Test
    void oversizeFramesAreRefusedWhenEncoding() {
        FrameCodec small = new FrameCodec(64);
        ObjectNode big = FrameCodec.mapper().createObjectNode().put("blob", "x".repeat(100));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> small.encode(new WorkerMessage.Result("j1", big, List.of())));
        assertEquals(ProtocolException.Kind.FRAME_TOO_LARGE, e.kind());
    }

    @Test
    void malformedJsonIsATypedError() {
        for (String text : List.of("{\"op\":\"hello\",", "not json", "")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> codec.decodeWorkerMessage(bytes(text)));
            assertEquals(ProtocolException.Kind.MALFORMED_JSON, e.kind(), text);
            assertFalse(e.isFatal());
        }
        byte[] badUtf8 = {'{', '"', 'o', 'p', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.decodeWorkerMessage(badUtf8));
        assertEquals(ProtocolException.Kind.MALFORMED_JSON, e.kind());
    }

    @Test
    void unknownOpsAreATypedErrorNamingTheOpAndJob() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> codec.decodeWorkerMessage(bytes("{\"op\":\"teleport\",\"job_id\":\"j7\"}")));
        assertEquals(ProtocolException.Kind.UNKNOWN_OP, e.kind());
        assertEquals("teleport", e.op());
        assertEquals("j7", e.jobId());

        // A bridge op is not a worker op, and the other way round.
        assertEquals(ProtocolException.Kind.UNKNOWN_OP, assertThrows(ProtocolException.class,
                () -> codec.decodeWorkerMessage(bytes("{\"op\":\"cancel\",\"job_id\":\"j7\"}"))).kind());
        assertEquals(ProtocolException.Kind.UNKNOWN_OP, assertThrows(ProtocolException.class,
                () -> codec.decodeBridgeMessage(bytes("{\"op\":\"result\",\"job_id\":\"j7\"}"))).kind());
    }

    @Test
    void framesWithoutOpOrRequiredFieldsAreInvalid() {
        for (String text : List.of("{\"job_id\":\"j1\"}", "[1,2]", "42",
                "{\"op\":\"result\",\"outputs\":{}}",
                "{\"op\":\"progress\",\"job_id\":\"j1\",\"percent\":\"lots\"}",
                "{\"op\":\"hello\",\"job_types\":[]}")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> codec.decodeWorkerMessage(bytes(text)));
            assertEquals(ProtocolException.Kind.INVALID_MESSAGE, e.kind(), text);
        }
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> codec.decodeWorkerMessage(bytes("{\"op\":\"progress\",\"job_id\":\"j3\",\"percent\":\"lots\"}")));
        assertEquals("progress", e.op());
        assertEquals("j3", e.jobId());
    }

    @Test
    void artifactPathsCannotLeaveTheScratchDir() {
        java.nio.file.Path scratch = java.nio.file.Path.of("/tmp/scratch/j1");
        assertEquals(scratch.resolve("out/a.png"), new ArtifactRef("out/a.png", "image", "image/png").resolveIn(scratch));
        for (String escape : List.of("../j2/secret", "/etc/passwd", "a/../../x", ".", "")) {
            assertThrows(IllegalArgumentException.class, () -> new ArtifactRef(escape, null, null).resolveIn(scratch), escape);
        }
    }

    @Test
    void encodedFramesCarryTheirExactLength() throws Exception {
        ByteBuffer frame = codec.encode(new WorkerMessage.Heartbeat("j1"));
        byte[] all = Arrays.copyOf(frame.array(), frame.limit());
        assertEquals(all.length - FrameCodec.LENGTH_PREFIX_BYTES, ByteBuffer.wrap(all).getInt());
    }
}
