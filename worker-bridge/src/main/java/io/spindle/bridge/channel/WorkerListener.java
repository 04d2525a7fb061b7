package io.spindle.bridge.channel;

import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;

/**
 * Receives what a {@link WorkerChannel} reads. All callbacks come from the channel's own I/O thread, one at a
 * time and in order; {@link #onClosed} comes exactly once and last. Implementations should hand work off
 * (e.g. tell an actor) rather than block. An exception thrown by a callback is logged and does not stop the channel.
 */
public interface WorkerListener {

    /** The worker process connected; frames follow. */
    default void onConnected() {}

    /** A well-formed frame arrived. */
    void onMessage(WorkerMessage message);

    /** A frame broke the protocol. Unless {@link ProtocolException#isFatal()}, the channel keeps reading. */
    void onProtocolError(ProtocolException error);

    /** The channel ended; nothing follows. */
    void onClosed(ChannelClosed closed);
}
