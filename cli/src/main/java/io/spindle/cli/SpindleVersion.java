package io.spindle.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest (or "dev" when run from classes). */
public final class SpindleVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = SpindleVersion.class.getPackage().getImplementationVersion();
        return new String[] {"spindle " + (v == null ? "dev" : v)};
    }
}
