package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.spindle.bridge.protocol.FrameCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * A small OpenAI-compatible HTTP server for the HTTP shims' tests: each request gets the next scripted answer
 * (a status, or a hang until the test ends), and every request is recorded with its headers and body (parsed when
 * it is JSON; {@link Request#form()} splits a multipart upload such as a transcription's).
 */
final class OpenAiStub implements AutoCloseable {
    static final int SAMPLE_RATE = 16_000;

    /**
     * One scripted answer: a status with a body and content type, or {@code hangs} (never answers), or a server-sent
     * event stream of {@code events} (each sent as {@code data: …} and flushed) that ends, or hangs when
     * {@code hangs} is set, after its last event.
     */
    record Answer(int status, byte[] body, String contentType, boolean hangs, List<String> events) {
        static Answer ok(byte[] body, String contentType) {
            return new Answer(200, body, contentType, false, null);
        }

        static Answer status(int status, String json) {
            return new Answer(status, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json", false, null);
        }

        static Answer hanging() {
            return new Answer(0, new byte[0], "", true, null);
        }

        /** A streamed answer of {@code events} closed by {@code [DONE]}. */
        static Answer streamed(List<String> events) {
            List<String> all = new java.util.ArrayList<>(events);
            all.add("[DONE]");
            return new Answer(200, new byte[0], "text/event-stream", false, List.copyOf(all));
        }

        /** A streamed answer that sends {@code events} and then nothing more, never ending. */
        static Answer streamedThenHanging(List<String> events) {
            return new Answer(200, new byte[0], "text/event-stream", true, List.copyOf(events));
        }

        /** The chunks of a chat completion streaming {@code pieces}, then a finish reason and the usage. */
        static Answer chatChunks(List<String> pieces, String finishReason, int promptTokens) {
            List<String> events = new java.util.ArrayList<>();
            events.add("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}");
            for (String piece : pieces) {
                events.add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(piece) + "}}]}");
            }
            events.add("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + finishReason + "\"}]}");
            events.add("{\"choices\":[],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":"
                    + pieces.size() + "}}");
            return streamed(events);
        }

        private static String quote(String text) {
            try {
                return FrameCodec.mapper().writeValueAsString(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What the server received: {@code body} is the parsed JSON body (null for any other), {@code raw} its bytes. */
    record Request(String method, String path, Map<String, List<String>> headers, JsonNode body, byte[] raw) {
        String contentType() {
            return headers.getOrDefault("Content-type", List.of("")).get(0);
        }

        private static final Pattern PART_NAME = Pattern.compile("; name=\"([^\"]*)\"");
        private static final Pattern PART_FILE_NAME = Pattern.compile("; filename=\"([^\"]*)\"");
        private static final Pattern PART_TYPE = Pattern.compile("Content-Type: (\\S+)");

        /** The parts of a {@code multipart/form-data} body, by name. */
        Map<String, Part> form() {
            String marker = "boundary=";
            String boundary = "--" + contentType().substring(contentType().indexOf(marker) + marker.length());
            // ISO-8859-1 maps every byte to one char, so a file part's bytes survive the split.
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            Map<String, Part> parts = new LinkedHashMap<>();
            for (String chunk : text.split(Pattern.quote(boundary))) {
                int headEnd = chunk.indexOf("\r\n\r\n");
                if (headEnd < 0) {
                    continue;
                }
                String head = chunk.substring(0, headEnd);
                String content = chunk.substring(headEnd + 4, chunk.length() - 2);
                Matcher name = PART_NAME.matcher(head);
                Matcher file = PART_FILE_NAME.matcher(head);
                Matcher type = PART_TYPE.matcher(head);
                if (name.find()) {
                    parts.put(name.group(1), new Part(file.find() ? file.group(1) : null, type.find() ? type.group(1) : null,
                            content.getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
            return parts;
        }
    }

    /** One part of a multipart body: a file part has a file name and a content type. */
    record Part(String fileName, String contentType, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final HttpServer server;

    OpenAiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized OpenAiStub then(Answer answer) {
        script.addLast(answer);
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean json = type == null || type.startsWith("application/json");
        JsonNode body = bytes.length == 0 || !json ? null : FrameCodec.mapper().readTree(bytes);
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                body, bytes));
        Answer answer;
        synchronized (this) {
            answer = script.isEmpty() ? Answer.status(500, "{\"error\":\"no scripted answer\"}") : script.removeFirst();
        }
        if (answer.events() != null) {
            stream(exchange, answer);
            return;
        }
        if (answer.hangs()) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        exchange.getResponseBody().write(answer.body());
        exchange.close();
    }

    private void stream(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(200, 0);
        for (String event : answer.events()) {
            exchange.getResponseBody().write(("data: " + event + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
        }
        if (answer.hangs()) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.close();
    }

    /** A real WAV of {@code millis} of a quiet tone, as a speech server would send. */
    static byte[] wav(int millis) {
        int frames = SAMPLE_RATE * millis / 1000;
        byte[] pcm = new byte[frames * 2];
        for (int i = 0; i < frames; i++) {
            short sample = (short) (Math.sin(2 * Math.PI * 440 * i / SAMPLE_RATE) * 2_000);
            pcm[2 * i] = (byte) sample;
            pcm[2 * i + 1] = (byte) (sample >> 8);
        }
        AudioFormat format = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
        try (AudioInputStream stream = new AudioInputStream(new java.io.ByteArrayInputStream(pcm), format, frames)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AudioSystem.write(stream, AudioFileFormat.Type.WAVE, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real PNG of {@code width} × {@code height} pixels, as an image server would send. */
    static byte[] png(int width, int height) {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF8800);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON answer of {@code /v1/images/generations} carrying {@code images} as {@code b64_json}. */
    static byte[] imagesAnswer(byte[]... images) {
        com.fasterxml.jackson.databind.node.ObjectNode answer = FrameCodec.mapper().createObjectNode().put("created", 1_700_000_000);
        com.fasterxml.jackson.databind.node.ArrayNode data = answer.putArray("data");
        for (byte[] image : images) {
            data.addObject().put("b64_json", java.util.Base64.getEncoder().encodeToString(image)).put("revised_prompt", "a fox, revised");
        }
        return answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
