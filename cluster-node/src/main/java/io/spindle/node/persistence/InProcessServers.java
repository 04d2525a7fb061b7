package io.spindle.node.persistence;

import com.mongodb.ConnectionString;
import com.mongodb.ServerAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link InProcessServer}s running in this process, by the address they listen on: a server registers when it
 * starts and unregisters when it stops, and {@link SharedMongoClient#documents} looks one up at each command.
 */
public final class InProcessServers {
    private static final Map<ServerAddress, InProcessServer> BY_ADDRESS = new ConcurrentHashMap<>();

    private InProcessServers() {
    }

    public static void register(InProcessServer server) {
        BY_ADDRESS.put(server.serverAddress(), server);
    }

    /** Unregisters {@code server}, not one registered at its address since. */
    public static void unregister(InProcessServer server) {
        BY_ADDRESS.remove(server.serverAddress(), server);
    }

    /**
     * The address a server of this process would be found under for a connection string: its only host. Empty for a
     * list of hosts, which is never in process.
     */
    public static Optional<ServerAddress> address(String uri) {
        List<String> hosts = new ConnectionString(uri).getHosts();
        return hosts.size() == 1 ? Optional.of(new ServerAddress(hosts.get(0))) : Optional.empty();
    }

    /** The server running in this process at {@code address} now, if any. */
    public static Optional<InProcessServer> running(ServerAddress address) {
        return Optional.ofNullable(BY_ADDRESS.get(address));
    }

    /** The server of this process that {@code uri} names as its only host, if one runs now. */
    public static Optional<InProcessServer> at(String uri) {
        return address(uri).flatMap(InProcessServers::running);
    }
}
