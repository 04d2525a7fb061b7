package io.spindle.bridge.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import io.spindle.model.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Turns protocol messages into frames and frame payloads back into messages. A frame is a 4-byte
 * big-endian payload length followed by that many bytes of UTF-8 JSON. Immutable and thread-safe.
 */
public final class FrameCodec {
    public static final String OP_FIELD = "op";
    public static final int LENGTH_PREFIX_BYTES = Integer.BYTES;
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /**
     * Spindle's JSON mapping, but tolerant: fields it does not know are ignored (so either side can grow the
     * protocol) and absent numbers and flags read as 0 / false.
     */
    private static final ObjectMapper MAPPER = Json.newMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final ObjectWriter WORKER_WRITER = MAPPER.writerFor(WorkerMessage.class);
    private static final ObjectWriter BRIDGE_WRITER = MAPPER.writerFor(BridgeMessage.class);
    private static final ObjectReader WORKER_READER = MAPPER.readerFor(WorkerMessage.class);
    private static final ObjectReader BRIDGE_READER = MAPPER.readerFor(BridgeMessage.class);

    private final int maxFrameBytes;

    public FrameCodec(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public FrameCodec() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The JSON mapper of the protocol, for building inputs and outputs that travel in frames. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A whole frame (length prefix + payload), ready to write. */
    public ByteBuffer encode(WorkerMessage message) throws ProtocolException {
        return frame(payload(WORKER_WRITER, message));
    }

    /** A whole frame (length prefix + payload), ready to write. */
    public ByteBuffer encode(BridgeMessage message) throws ProtocolException {
        return frame(payload(BRIDGE_WRITER, message));
    }

    public WorkerMessage decodeWorkerMessage(byte[] payload) throws ProtocolException {
        return decode(WORKER_READER, payload);
    }

    public BridgeMessage decodeBridgeMessage(byte[] payload) throws ProtocolException {
        return decode(BRIDGE_READER, payload);
    }

    private static byte[] payload(ObjectWriter writer, Object message) {
        try {
            return writer.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            // Records of JSON-able fields always serialize; failing here is a bug, not a peer's doing.
            throw new IllegalStateException("cannot serialize " + message, e);
        }
    }

    private ByteBuffer frame(byte[] payload) throws ProtocolException {
        if (payload.length > maxFrameBytes) {
            throw new ProtocolException(ProtocolException.Kind.FRAME_TOO_LARGE,
                    "payload of " + payload.length + " bytes exceeds the maximum of " + maxFrameBytes);
        }
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH_PREFIX_BYTES + payload.length);
        buffer.putInt(payload.length).put(payload).flip();
        return buffer;
    }

    private static <T> T decode(ObjectReader reader, byte[] payload) throws ProtocolException {
        if (!startsAsObject(payload)) {
            // Jackson would read e.g. an array as a type-wrapped value; anything but an object is refused up front.
            JsonNode tree;
            try {
                tree = MAPPER.readTree(payload);
            } catch (IOException e) {
                String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
                return fail(ProtocolException.Kind.MALFORMED_JSON, "not JSON: " + detail, payload, e);
            }
            if (tree == null || tree.isMissingNode()) {
                return fail(ProtocolException.Kind.MALFORMED_JSON, "empty frame", payload, null);
            }
            return fail(ProtocolException.Kind.INVALID_MESSAGE, "frame is not a JSON object", payload, null);
        }
        try {
            return reader.readValue(payload);
        } catch (StreamReadException e) {
            return fail(ProtocolException.Kind.MALFORMED_JSON, "not JSON: " + e.getOriginalMessage(), payload, e);
        } catch (InvalidTypeIdException e) {
            if (e.getTypeId() == null) {
                return fail(ProtocolException.Kind.INVALID_MESSAGE, "no '" + OP_FIELD + "' field", payload, e);
            }
            return fail(ProtocolException.Kind.UNKNOWN_OP, "unknown op '" + e.getTypeId() + "'", payload, e);
        } catch (IOException | RuntimeException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            return fail(ProtocolException.Kind.INVALID_MESSAGE, String.valueOf(detail), payload, e);
        }
    }

    private static boolean startsAsObject(byte[] payload) {
        for (byte b : payload) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    private static <T> T fail(ProtocolException.Kind kind, String message, byte[] payload, Throwable cause)
            throws ProtocolException {
        String op = null;
        String jobId = null;
        if (kind != ProtocolException.Kind.MALFORMED_JSON && startsAsObject(payload)) {
            try {
                JsonNode tree = MAPPER.readTree(payload);
                op = textOrNull(tree.get(OP_FIELD));
                jobId = textOrNull(tree.get("job_id"));
            } catch (IOException | RuntimeException ignored) {
                // best effort: the error is reported without op/job id
            }
        }
        throw new ProtocolException(kind, message, op, jobId, cause);
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
