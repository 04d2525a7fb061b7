package io.spindle.model.alias;

/** What an alias points at: one exact version of one config. */
public record AliasTarget(String configId, int version) {
    @Override
    public String toString() {
        return configId + "@" + version;
    }
}
