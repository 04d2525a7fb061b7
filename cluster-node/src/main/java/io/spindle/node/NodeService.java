package io.spindle.node;

/**
 * Something a module above cluster-node runs on a node (the HTTP gateway): started once the node's
 * backends, job entities and dispatchers are up, stopped before the actor system terminates.
 */
public interface NodeService {

    /** A short name for logs, e.g. "http gateway". */
    String name();

    /** Starts the service on {@code node}; blocks until it serves (or throws). The handle stops it. */
    Running start(NodeContext node) throws Exception;

    /** A started service. */
    interface Running {
        /** Stops serving (e.g. unbinds the port); called once, from the node's coordinated shutdown. */
        void stop() throws Exception;

        /** What to print when the node is ready (e.g. the API URL); empty when nothing. */
        default String describe() {
            return "";
        }
    }
}
