package io.spindle.node.dev;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One Redis command over a plain RESP connection, authenticated first when the server has a password: how the node
 * checks its embedded redis-server without a Redis client (start-up, pid file, tests).
 */
final class RespClient {
    private static final int SOCKET_TIMEOUT_MS = 2000;

    private RespClient() {}

    /**
     * Sends {@code args} to {@code host:port} (after {@code AUTH password} unless the password is null or empty) and
     * returns the reply: a status, integer or bulk reply as text, null for a null bulk reply.
     *
     * @throws IllegalStateException when the server answers with an error (e.g. {@code NOAUTH}, {@code WRONGPASS})
     * @throws UncheckedIOException when it cannot be reached
     */
    static String call(String host, int port, String password, String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), SOCKET_TIMEOUT_MS);
            s.setSoTimeout(SOCKET_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            if (password != null && !password.isEmpty()) {
                send(out, "AUTH", password);
                reply(in);
            }
            send(out, args);
            return reply(in);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not answer", e);
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(req.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String reply(InputStream in) throws IOException {
        String line = readLine(in);
        char type = line.isEmpty() ? '?' : line.charAt(0);
        if (type == '-') {
            throw new IllegalStateException("redis-server replied " + line.substring(1));
        }
        if (type == '$') {
            int len = Integer.parseInt(line.substring(1));
            if (len < 0) {
                return null;
            }
            String value = new String(in.readNBytes(len), StandardCharsets.UTF_8);
            readLine(in);
            return value;
        }
        return line.substring(1);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            buf.write(c);
        }
        if (c == -1 && buf.size() == 0) {
            throw new IOException("connection closed");
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
