package io.spindle.node.worker;

import io.spindle.bridge.channel.ChannelClosed;
import io.spindle.bridge.channel.WorkerListener;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import io.spindle.model.job.JobError;
import java.time.Duration;
import java.util.function.Consumer;

/** What a spawned worker process did, as its {@link WorkerProcess} hears of it: a frame, or its end. */
sealed interface ProcessSignal {

    /** A frame the worker sent. */
    record Frame(WorkerMessage message) implements ProcessSignal {}

    /** The process is gone or must go. */
    sealed interface End extends ProcessSignal {
        /** Why, given the process's {@code exit} (", exit code N" once it has exited, else empty). */
        Death death(String exit);
    }

    record Violation(ProtocolException error) implements End {
        @Override
        public Death death(String exit) {
            return new Death(JobError.transientError(WorkerErrors.WORKER_PROTOCOL_ERROR, "the worker broke the protocol: " + error.getMessage()),
                    "broke the protocol (" + error.getMessage() + ") and is killed");
        }
    }

    record ChannelEnded(ChannelClosed closed) implements End {
        @Override
        public Death death(String exit) {
            return new Death(JobError.transientError(WorkerErrors.WORKER_CRASHED, "the worker process went away (" + closed.detail() + exit + ")"),
                    "went away (" + closed.reason() + ": " + closed.detail() + exit + ")");
        }
    }

    record Exited(int exitCode) implements End {
        @Override
        public Death death(String exit) {
            return new Death(JobError.transientError(WorkerErrors.WORKER_CRASHED, "the worker process exited with code " + exitCode),
                    "exited with code " + exitCode);
        }
    }

    record HelloTimedOut(Duration timeout) implements End {
        @Override
        public Death death(String exit) {
            return new Death(null, "did not say hello within " + timeout);
        }
    }

    /**
     * Why a worker process is gone: {@code error} is what the attempt it ran fails with (null: it ran none, or the
     * attempt knows its own error), {@code why} completes the log line "worker NAME ...".
     */
    record Death(JobError error, String why) {
        Death during(String running) {
            return new Death(error, why + running);
        }
    }

    /** A listener for a process's channel that hands its frames, protocol errors and end to {@code sink}. */
    static WorkerListener listener(Consumer<ProcessSignal> sink) {
        return new WorkerListener() {
            @Override
            public void onMessage(WorkerMessage message) {
                sink.accept(new Frame(message));
            }

            @Override
            public void onProtocolError(ProtocolException error) {
                sink.accept(new Violation(error));
            }

            @Override
            public void onClosed(ChannelClosed closed) {
                sink.accept(new ChannelEnded(closed));
            }
        };
    }
}
