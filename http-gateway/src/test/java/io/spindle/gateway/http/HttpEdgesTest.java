package io.spindle.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests malformed below the routes, sent over a raw socket to a real gateway: each is answered
 * quickly, with a 4xx in the API's error shape, never a 5xx or silence.
 */
class HttpEdgesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    /** "Fast": well under the 10 s body-read timeout and the 60 s idle timeout the issue saw. */
    private static final Duration FAST = Duration.ofSeconds(5);

    private int port;

    @BeforeEach
    void setUp() {
        NODE.config("edges-config", "cpu.echo");
        port = NODE.api().uri("/").getPort();
    }

    /** The status line, headers and body of the first answer, within {@code within}. */
    record RawAnswer(int status, String head, String body, Duration took) {
        JsonNode error() throws IOException {
            return Json.mapper().readTree(body).get("error");
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }
    }

    private RawAnswer send(String raw, Duration within) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) within.toMillis());
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAnswer(socket.getInputStream(), raw, within);
        }
    }

    /** The next whole answer on a connection. */
    private static RawAnswer readAnswer(InputStream in, String sent, Duration within) throws IOException {
        long start = System.nanoTime();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                got.write(buffer, 0, n);
                if (complete(got.toString(StandardCharsets.UTF_8))) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no complete answer within " + within + " to " + sent.replace("\r\n", "\\r\\n")
                    + "; got: " + got.toString(StandardCharsets.UTF_8));
        }
        String text = got.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("HTTP/1.1 "), () -> "an HTTP answer: " + text);
        int headEnd = text.indexOf("\r\n\r\n");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new RawAnswer(Integer.parseInt(text.substring(9, 12)), text.substring(0, headEnd), text.substring(headEnd + 4), took);
    }

    /** A whole answer: its head, and as many body bytes as its Content-Length says. */
    private static boolean complete(String text) {
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        for (String line : text.substring(0, headEnd).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return text.length() - headEnd - 4 >= Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return true;
    }

    private static void isErrorShape(RawAnswer a, int status, String code) throws IOException {
        assertEquals(status, a.status(), a.head() + "\n" + a.body());
        assertEquals("application/json", a.header("Content-Type"), a.head());
        assertEquals(code, a.error().get("code").asText(), a.body());
    }

    @Test
    void aGarbageRequestLineGetsAFast400() throws IOException {
        isErrorShape(send("GARBAGE\r\n\r\n", FAST), 400, "invalid_request");
        isErrorShape(send("X\r\n\r\n", FAST), 400, "invalid_request");
        isErrorShape(send("GET\r\n\r\n", FAST), 400, "invalid_request");
        isErrorShape(send("\r\n\r\nGARBAGE\r\n\r\n", FAST), 400, "invalid_request");
    }

    @Test
    void aMalformedChunkedBodyIs400() throws IOException {
        String head = "POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        isErrorShape(send(head + "zz\r\n{}\r\n0\r\n\r\n", FAST), 400, "invalid_request");
        isErrorShape(send(head + "2\r\n{}XX0\r\n\r\n", FAST), 400, "invalid_request");
    }

    @Test
    void aBodyOverTheLimitIsRefusedAfterItArrivedAndTheConnectionGoesOn() throws IOException {
        refusedAfterItArrivedThenTheNextRequestAnswered((int) NODE.settings().maxBodyBytes() + 1);
        // Over Pekko's own server-wide limit (8m by default) too.
        refusedAfterItArrivedThenTheNextRequestAnswered(10 * 1024 * 1024);
    }

    private void refusedAfterItArrivedThenTheNextRequestAnswered(int size) throws IOException {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        String head = "POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) FAST.toMillis());
            // Sent whole before reading, as clients do: the answer must not be lost to a connection reset.
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            RawAnswer tooLarge = readAnswer(socket.getInputStream(), head, FAST);
            isErrorShape(tooLarge, 413, "payload_too_large");

            String next = "GET /jobs/no-such-job HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream().write(next.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            assertEquals(404, readAnswer(socket.getInputStream(), next, FAST).status(), "the same connection answers the next request");
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthGetsABoundedAnswer() throws IOException {
        RawAnswer a = send("POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":", FAST);
        assertTrue(a.status() == 408 || a.status() == 400, a.head());
        assertTrue(a.error().get("code").isTextual(), a.body());
    }

    @Test
    void aWrongMethodIs405WithAllowEvenWhenPekkoDoesNotKnowTheMethod() throws IOException {
        RawAnswer known = send("DELETE /jobs HTTP/1.1\r\nHost: x\r\n\r\n", FAST);
        isErrorShape(known, 405, "method_not_allowed");
        assertEquals("GET, POST", known.header("Allow"));
        RawAnswer unknown = send("FOO /jobs HTTP/1.1\r\nHost: x\r\n\r\n", FAST);
        isErrorShape(unknown, 405, "method_not_allowed");
        assertTrue(unknown.header("Allow") != null, unknown.head());
    }

    @Test
    void aNullOrEmptyBodyIsNever500() throws IOException {
        for (String path : new String[] {"/jobs", "/configs", "/jobs/batch", "/jobs/x/cancel", "/jobs/x/requeue"}) {
            for (String body : new String[] {"null", "", " ", "0", "\"\"", "[]", "true"}) {
                RawAnswer a = send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body, FAST);
                assertTrue(a.status() >= 400 && a.status() < 500, () -> path + " " + body + ": " + a.head() + "\n" + a.body());
                assertTrue(a.error().get("code").isTextual(), a.body());
            }
        }
        RawAnswer patch = send("PATCH /configs/edges-config HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\nnull",
                FAST);
        isErrorShape(patch, 400, "validation_failed");
    }
}
