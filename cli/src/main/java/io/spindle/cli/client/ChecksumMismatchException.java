package io.spindle.cli.client;

/** Downloaded bytes whose SHA-256 differs from the artifact's metadata; nothing was left on disk. */
public final class ChecksumMismatchException extends RuntimeException {
    private final String artifactId;
    private final String expected;
    private final String actual;

    public ChecksumMismatchException(String artifactId, String expected, String actual, long bytes) {
        super("artifact " + artifactId + " is corrupt: sha256 of the " + bytes + " bytes received is " + actual
                + ", its metadata says " + expected + "; nothing was saved");
        this.artifactId = artifactId;
        this.expected = expected;
        this.actual = actual;
    }

    public String artifactId() {
        return artifactId;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
