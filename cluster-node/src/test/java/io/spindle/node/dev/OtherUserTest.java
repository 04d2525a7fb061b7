package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.spindle.bridge.files.PrivateFiles;
import io.spindle.node.testsupport.S3ProxyExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another local user can do to a running {@code spindle dev} node: read nothing under its data dir, and reach
 * neither its Redis nor its S3 without the generated credentials. Run as root where {@code useradd} and
 * {@code runuser} exist, it creates that user and tries as them (redis-cli and curl); elsewhere it checks the modes
 * and owners of every path and tries the servers without credentials from this process.
 */
class OtherUserTest {
    private static final Path USERADD = Path.of("/usr/sbin/useradd");
    private static final Path RUNUSER = Path.of("/usr/sbin/runuser");
    /** Prints each argument the running user can read (a file) or list (a directory). */
    private static final String PRINT_READABLE = "for p in \"$@\"; do if [ -d \"$p\" ]; then ls \"$p\" >/dev/null 2>&1 && echo \"$p\";"
            + " else head -c1 \"$p\" >/dev/null 2>&1 && echo \"$p\"; fi; done";

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        S3ProxyExtension.quietServerLogs();
    }

    @Test
    void anotherUserReadsNothingUnderTheDataDirAndReachesNeitherRedisNorS3() throws Exception {
        // The data dir's parent is open, so only the data dir's own modes keep the other user out.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = tmp.resolve("data");
        try (EmbeddedBackends backends = EmbeddedBackends.start(EmbeddedBackendsTest.devConfig(data))) {
            Config effective = backends.configure(EmbeddedBackendsTest.devConfig(data));
            int redisPort = EmbeddedBackendsTest.port(effective.getString("spindle.redis.uri"));
            String password = effective.getString("spindle.redis.password");
            RespClient.call(RedisProcess.HOST, redisPort, password, "SET", "job", "{\"input\":\"secret\"}");
            EmbeddedBackendsTest.putSigned(effective, "cfg/job/1/a/out.txt", "secret output");
            String endpoint = effective.getString("spindle.artifacts.s3.endpoint");
            String object = endpoint + "/spindle-artifacts/artifacts/cfg/job/1/a/out.txt";
            List<Path> everything;
            try (Stream<Path> all = Files.walk(data)) {
                everything = all.toList();
            }
            assertTrue(everything.size() > 10, "the servers wrote files: " + everything);

            if (canActAsAnotherUser()) {
                String user = "sp" + UUID.randomUUID().toString().substring(0, 8);
                run(List.of(USERADD.toString(), "-M", "-N", "-s", "/bin/sh", user));
                try {
                    Path control = Files.writeString(tmp.resolve("control.txt"), "readable");
                    Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rw-r--r--"));
                    assertEquals(control.toString(), asUser(user, readableCommand(List.of(control))).trim(), "the harness can tell");

                    assertEquals("", asUser(user, readableCommand(everything)), "readable by " + user);
                    assertTrue(asUser(user, List.of("redis-cli", "-h", RedisProcess.HOST, "-p", Integer.toString(redisPort), "GET", "job"))
                            .contains("NOAUTH"), "Redis asks for the password");
                    assertTrue(asUser(user, List.of("redis-cli", "-h", RedisProcess.HOST, "-p", Integer.toString(redisPort), "--no-auth-warning",
                            "-a", "guess", "GET", "job")).contains("WRONGPASS"), "and refuses a guess");
                    assertEquals("403", asUser(user, List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", object)));
                    assertEquals("403", asUser(user, List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT",
                            "--data-binary", "evil", object)));
                } finally {
                    run(List.of("userdel", user));
                }
            } else {
                List<String> notOurs = new ArrayList<>();
                for (Path p : everything) {
                    if (!PrivateFiles.ownedByCurrentUser(p)) {
                        notOurs.add(p.toString());
                    }
                }
                assertEquals(List.of(), notOurs, "everything belongs to this user");
                assertEquals(List.of(), EmbeddedBackendsTest.openToOthers(data), "nothing is open to group or others");
                IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                        () -> RespClient.call(RedisProcess.HOST, redisPort, "", "GET", "job"));
                assertTrue(refused.getMessage().contains("NOAUTH"), refused.getMessage());
                HttpClient http = HttpClient.newHttpClient();
                assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(object)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
                assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(object)).PUT(HttpRequest.BodyPublishers.ofString("evil")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            assertEquals("secret output", new String(Files.readAllBytes(
                    data.resolve("artifacts/spindle-artifacts/artifacts/cfg/job/1/a/out.txt")), StandardCharsets.UTF_8), "untouched");
        }
    }

    private static boolean canActAsAnotherUser() {
        return PrivateFiles.currentUid() == 0 && Files.isExecutable(USERADD) && Files.isExecutable(RUNUSER);
    }

    private static List<String> readableCommand(List<Path> paths) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", PRINT_READABLE, "sh"));
        paths.forEach(p -> cmd.add(p.toString()));
        return cmd;
    }

    private static String asUser(String user, List<String> command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RUNUSER.toString(), "-u", user, "--"));
        cmd.addAll(command);
        return run(cmd);
    }

    /** Runs {@code cmd}, returning what it printed (stdout and stderr). */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " did not finish");
        }
        return out;
    }
}
