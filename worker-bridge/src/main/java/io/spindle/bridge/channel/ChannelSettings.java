package io.spindle.bridge.channel;

import io.spindle.bridge.protocol.FrameCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WorkerChannel} behaves: the largest frame it accepts or sends, and how long it waits for the
 * worker process to connect. The node fills it from its HOCON worker settings.
 */
public record ChannelSettings(int maxFrameBytes, Duration acceptTimeout) {
    public static final Duration DEFAULT_ACCEPT_TIMEOUT = Duration.ofSeconds(30);

    public ChannelSettings {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
        }
        Objects.requireNonNull(acceptTimeout, "acceptTimeout");
        if (acceptTimeout.isNegative() || acceptTimeout.isZero()) {
            throw new IllegalArgumentException("acceptTimeout must be positive, was " + acceptTimeout);
        }
    }

    public static ChannelSettings defaults() {
        return new ChannelSettings(FrameCodec.DEFAULT_MAX_FRAME_BYTES, DEFAULT_ACCEPT_TIMEOUT);
    }

    public ChannelSettings withAcceptTimeout(Duration value) {
        return new ChannelSettings(maxFrameBytes, value);
    }

    public ChannelSettings withMaxFrameBytes(int value) {
        return new ChannelSettings(value, acceptTimeout);
    }
}
