package io.spindle.bridge.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directories named after the process that made them ({@code <prefix><pid>} or {@code <prefix><pid>-<anything>}),
 * and the removal of those whose process is gone: a node killed with SIGKILL cannot clean up after itself, so the
 * next start does. Only directories this user owns are touched.
 */
public final class StaleDirs {
    private static final Logger log = LoggerFactory.getLogger(StaleDirs.class);

    private StaleDirs() {}

    /** The name of this process's directory with {@code prefix}: {@code <prefix><pid>}. */
    public static String nameFor(String prefix) {
        return prefix + ProcessHandle.current().pid();
    }

    /** Deletes every directory in {@code parent} named {@code <prefix><pid>[-…]} that this user owns and whose process is gone. */
    public static List<Path> deleteDead(Path parent, String prefix) {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return deleted;
        }
        Pattern name = Pattern.compile(Pattern.quote(prefix) + "(\\d+)(-.*)?");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                Matcher m = name.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && PrivateFiles.ownedByCurrentUser(entry)
                        && !alive(m.group(1))) {
                    PrivateFiles.deleteRecursively(entry);
                    deleted.add(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot clean up stale directories {}* in {}: {}", prefix, parent, e.toString());
        }
        if (!deleted.isEmpty()) {
            log.info("Deleted {} directories left by processes that are gone: {}", deleted.size(), deleted);
        }
        return deleted;
    }

    private static boolean alive(String pid) {
        try {
            long id = Long.parseLong(pid);
            return id == ProcessHandle.current().pid() || ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException tooLong) {
            return true;
        }
    }
}
