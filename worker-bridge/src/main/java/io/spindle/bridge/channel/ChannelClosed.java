package io.spindle.bridge.channel;

/** Why a {@link WorkerChannel} ended; delivered once, as the listener's last callback. */
public record ChannelClosed(Reason reason, String detail) {

    public enum Reason {
        /** No worker connected within the accept timeout. */
        ACCEPT_TIMEOUT,
        /** The worker closed the connection (it exited, crashed or shut down). */
        PEER_CLOSED,
        /** Reading from or writing to the socket failed. */
        IO_ERROR,
        /** The host called {@link WorkerChannel#close()}. */
        CLOSED_LOCALLY
    }

    /** True when the worker went away on its own (as opposed to being closed or never showing up). */
    public boolean isPeerGone() {
        return reason == Reason.PEER_CLOSED || reason == Reason.IO_ERROR;
    }
}
