package io.spindle.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.bridge.files.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinWorkerArgvTest {
    private static final int OTHER_UID = 65534;

    @Test
    void thePythonSdkIsUnpackedIntoAFreshPrivateDirNeverIntoOneThatExisted() throws Exception {
        // What another local user could do: make the old predictable dir, open to all, with their own SDK in it.
        Path planted = Path.of(System.getProperty("java.io.tmpdir"), "spindle-python-" + ProcessHandle.current().pid());
        Files.createDirectories(planted);
        try {
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(planted.resolve("spindle_worker.py"), "raise SystemExit('not the SDK')");
            if (PrivateFiles.currentUid() == 0) {
                Files.setAttribute(planted, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
            }

            List<String> argv = BuiltinWorkerArgv.argv("python");

            Path sdk = Path.of(argv.get(argv.size() - 1));
            Path dir = sdk.getParent();
            assertNotEquals(planted, dir);
            assertTrue(dir.getFileName().toString().startsWith("spindle-python-" + ProcessHandle.current().pid() + "-"), dir.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)));
            assertTrue(PrivateFiles.ownedByCurrentUser(dir));
            assertTrue(Files.readString(sdk).contains("def "), "the real SDK");
        } finally {
            PrivateFiles.deleteRecursively(planted);
        }
    }

    @Test
    void eachRuntimeWorkerGetsTheHeapItsBackendAsksFor() {
        assertTrue(BuiltinWorkerArgv.runtime("espeak").contains("-Xmx128m"), BuiltinWorkerArgv.runtime("espeak")::toString);
        assertTrue(BuiltinWorkerArgv.runtime("minilm").contains("-Xmx384m"), BuiltinWorkerArgv.runtime("minilm")::toString);
        assertEquals(1, BuiltinWorkerArgv.runtime("minilm").stream().filter(flag -> flag.startsWith("-Xmx")).count());
        assertTrue(BuiltinWorkerArgv.argv("java").contains("-Xmx128m"), BuiltinWorkerArgv.argv("java")::toString);
    }
}
