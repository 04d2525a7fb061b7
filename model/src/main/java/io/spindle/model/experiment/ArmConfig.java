package io.spindle.model.experiment;

/** A candidate arm: its name in the report and the exact config version its replays run on. */
public record ArmConfig(String name, String configId, Integer version) {}
