package io.spindle.cli.commands;

import io.spindle.model.config.ModelConfig;

/** How a ModelConfig reads for people. */
public final class ConfigText {
    private ConfigText() {}

    public static KeyValues block(ModelConfig c) {
        return new KeyValues()
                .put("id", c.id())
                .put("name", c.name())
                .put("version", c.version())
                .put("active", c.isActive() ? "yes" : "no")
                .put("job types", String.join(" ", c.jobTypes()))
                .put("runtime", c.runtimeBackend())
                .put("model", c.modelRef())
                .put("preferred node", c.preferredNode())
                .put("params", Formats.json(c.params()))
                .put("created", Formats.instant(c.createdAt()));
    }

    public static TextTable table() {
        return new TextTable("ID", "NAME", "VERSION", "ACTIVE", "JOB TYPES", "RUNTIME", "MODEL", "CREATED");
    }

    public static void addRow(TextTable table, ModelConfig c) {
        table.row(c.id(), c.name(), c.version(), c.isActive() ? "yes" : "no", String.join(",", c.jobTypes()),
                c.runtimeBackend(), c.modelRef(), Formats.instant(c.createdAt()));
    }
}
