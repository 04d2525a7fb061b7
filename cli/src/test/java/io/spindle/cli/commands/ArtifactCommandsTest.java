package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.FakeApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCommandsTest {
    private static final byte[] CONTENT = "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @AutoClose
    private final FakeApi api = new FakeApi();

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String artifact(String sha) {
        return "{\"id\":\"a1\",\"job_id\":\"j1\",\"attempt\":1,\"config_id\":\"echo-v1\",\"config_version\":1,\"kind\":\"json\","
                + "\"mime\":\"application/json\",\"size\":" + CONTENT.length + ",\"sha256\":\"" + sha + "\","
                + "\"uri\":\"s3://spindle-artifacts/artifacts/echo-v1/j1/echo.json\",\"worker\":\"w1\",\"node\":\"node-a\","
                + "\"created_at\":\"2026-11-28T10:00:01Z\",\"parent_ids\":[]}";
    }

    @Test
    void artifactsPrintsATable() throws Exception {
        String sha = sha256(CONTENT);
        api.onJson("GET", "/jobs/j1/artifacts", 200, "{\"job_id\":\"j1\",\"artifacts\":[" + artifact(sha) + "]}");
        List<String> lines = Cli.against(api.uri(), "artifacts", "j1").assertOk().out().lines().toList();
        assertEquals("ID  KIND  MIME              SIZE  SHA256        ATTEMPT  CREATED", lines.get(0));
        assertEquals("a1  json  application/json  13 B  " + sha.substring(0, 12) + "  1        2026-11-28T10:00:01Z", lines.get(1));
    }

    @Test
    void downloadSavesVerifiedBytes() throws Exception {
        api.onJson("GET", "/artifacts/a1", 200, artifact(sha256(CONTENT)));
        api.on("GET", "/artifacts/a1/bytes", (r, x) -> FakeApi.send(x, 200, "application/json", CONTENT));
        Path target = dir.resolve("saved.json");
        Cli.Result r = Cli.against(api.uri(), "download", "a1", "-o", target.toString()).assertOk();
        assertArrayEquals(CONTENT, Files.readAllBytes(target));
        assertTrue(r.out().startsWith("saved " + target + " (13 B, application/json, sha256 "), r.out());
    }

    @Test
    void downloadJsonDescribesTheSavedFile() throws Exception {
        api.onJson("GET", "/artifacts/a1", 200, artifact(sha256(CONTENT)));
        api.on("GET", "/artifacts/a1/bytes", (r, x) -> FakeApi.send(x, 200, "application/json", CONTENT));
        JsonNode out = ApiJson.parse(Cli.against(api.uri(), "download", "a1", "-o", dir.resolve("x").toString(), "--json").assertOk().out());
        assertEquals(CONTENT.length, out.get("bytes").asInt());
        assertTrue(out.get("verified").asBoolean());
        assertEquals("a1", out.get("artifact").get("id").asText());
    }

    @Test
    void downloadIntoADirectoryUsesTheArtifactsFileName() throws Exception {
        api.onJson("GET", "/artifacts/a1", 200, artifact(sha256(CONTENT)));
        api.on("GET", "/artifacts/a1/bytes", (r, x) -> FakeApi.send(x, 200, "application/json", CONTENT));
        Cli.against(api.uri(), "download", "a1", "-o", dir.toString()).assertOk();
        assertArrayEquals(CONTENT, Files.readAllBytes(dir.resolve("echo.json")));
    }

    @Test
    void aDirectoryThatDoesNotExistIsOneReadableLine() throws Exception {
        api.onJson("GET", "/artifacts/a1", 200, artifact(sha256(CONTENT)));
        api.on("GET", "/artifacts/a1/bytes", (r, x) -> FakeApi.send(x, 200, "application/json", CONTENT));
        Path missing = dir.resolve("no/such/dir/out.json");
        Cli.Result r = Cli.against(api.uri(), "download", "a1", "-o", missing.toString()).assertFailed(ExitCodes.SOFTWARE);
        assertEquals("spindle: cannot write to " + missing.getParent() + ": no such file or directory\n", r.err());
    }

    @Test
    void aChecksumMismatchExitsWithSixAndSavesNothing() throws Exception {
        api.onJson("GET", "/artifacts/a1", 200, artifact(sha256("other".getBytes(StandardCharsets.UTF_8))));
        api.on("GET", "/artifacts/a1/bytes", (r, x) -> FakeApi.send(x, 200, "application/json", CONTENT));
        Path target = dir.resolve("saved.json");
        Cli.Result r = Cli.against(api.uri(), "download", "a1", "-o", target.toString()).assertFailed(ExitCodes.CHECKSUM_MISMATCH);
        assertTrue(r.err().contains("artifact a1 is corrupt"), r.err());
        assertFalse(Files.exists(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void anUnknownArtifactIsNotFound() {
        api.on("GET", "/artifacts/zz", FakeApi.error(404, "artifact_not_found", "artifact 'zz' not found"));
        Cli.against(api.uri(), "download", "zz", "-o", dir.resolve("x").toString()).assertFailed(ExitCodes.NOT_FOUND);
    }

    @Test
    void theDefaultFileNameComesFromTheUriWhenItIsAPlainName() {
        io.spindle.model.artifact.Artifact a = ApiJson.read(artifact("x"), io.spindle.model.artifact.Artifact.class);
        assertEquals("echo.json", DownloadCommand.defaultName(a));
        io.spindle.model.artifact.Artifact hidden = new io.spindle.model.artifact.Artifact("a/../b", "j1", 1, "c", 1, "k", "m", 1, "s",
                "s3://b/x/.bashrc", null, null, null, null);
        assertEquals("a_.._b", DownloadCommand.defaultName(hidden));
    }
}
