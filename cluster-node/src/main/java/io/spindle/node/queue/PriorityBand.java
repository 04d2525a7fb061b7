package io.spindle.node.queue;

/** A range of job priorities sharing one stream: every priority from {@code minPriority} up to the next band's. */
public record PriorityBand(String name, int minPriority) {
    public PriorityBand {
        if (name == null || !name.matches("[a-z0-9_-]+")) {
            throw new IllegalArgumentException("band name must be lowercase letters, digits, '_' or '-': " + name);
        }
    }
}
