package io.spindle.node.artifact;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Default media types for declared artifacts without one: by file extension first, then by kind
 * (from {@code spindle.artifacts.upload}).
 */
public record ArtifactMimeTypes(Map<String, String> byExtension, Map<String, String> byKind, String fallback) {

    public ArtifactMimeTypes {
        byExtension = Map.copyOf(byExtension);
        byKind = Map.copyOf(byKind);
    }

    /** Reads {@code mime-by-extension}, {@code mime-by-kind} and {@code default-mime} of the upload section. */
    public static ArtifactMimeTypes fromConfig(Config upload) {
        return new ArtifactMimeTypes(strings(upload.getConfig("mime-by-extension")),
                strings(upload.getConfig("mime-by-kind")), upload.getString("default-mime"));
    }

    public String of(String fileName, String kind) {
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0) {
            String byExt = byExtension.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (byExt != null) {
                return byExt;
            }
        }
        if (kind != null) {
            String byK = byKind.get(kind.toLowerCase(Locale.ROOT));
            if (byK != null) {
                return byK;
            }
        }
        return fallback;
    }

    private static Map<String, String> strings(Config section) {
        Map<String, String> values = new HashMap<>();
        // Keys of these sections are single words (extensions, kinds), never paths.
        section.root().keySet().forEach(k -> values.put(k.toLowerCase(Locale.ROOT), section.getString(k)));
        return values;
    }
}
