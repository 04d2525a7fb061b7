package io.spindle.node.artifact;

import com.typesafe.config.Config;

/**
 * The {@code spindle.artifacts.inputs} settings: how many artifact references a job's input may hold, how many
 * of them a node fetches at once, and the folder of the scratch dir they are fetched into.
 */
public record InputSettings(int maxReferences, int parallelism, String directory) {
    public static final String CONFIG_PATH = "spindle.artifacts.inputs";

    public InputSettings {
        if (maxReferences < 0 || parallelism < 1 || directory == null || directory.isBlank() || directory.contains("/")) {
            throw new IllegalArgumentException(CONFIG_PATH + ": max-references must be >= 0, parallelism >= 1 and directory"
                    + " one plain folder name");
        }
    }

    /** @param root the whole configuration */
    public static InputSettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        return new InputSettings(c.getInt("max-references"), c.getInt("parallelism"), c.getString("directory"));
    }
}
