package io.spindle.node.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spindle.model.json.Json;
import io.spindle.node.concurrent.PekkoStages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node hosts which ModelConfig, replicated to every member with Distributed Data (docs/architecture.md,
 * "Hosting directory and routing"). {@code GET /cluster/nodes} and {@code GET /cluster/configs} read it.
 *
 * <h2>What it decides</h2>
 * Not where a job runs: dispatchers pull from their configs' queues without looking here. It decides what the
 * cluster reports as hosted — which entries are shown, and when an entry disappears.
 *
 * <h2>How</h2>
 * One LWWMap keyed by a member's unique address (address + uid, so a restarted node at the same host and port never
 * inherits or loses its predecessor's entry); each value is a small JSON document (plain strings need no serializer
 * binding) naming the node, the config ids it hosts and when it came up. A node only writes its own entry (its
 * writer actor, on {@link #publish} and when the node becomes Up); every node deletes the entry of a member the
 * cluster removed (it left or was downed); reads use the local replica and skip members that are down, exiting,
 * gone or not members at all, so the directory never names a node that cannot take work. Reads ask the Replicator
 * only until the writer has been notified of the replica (its subscription): then they read that copy without a
 * message, which matters because every submitted job's placement warning reads the directory. The writer's own
 * writes clear the copy until their notification comes, so a node reads its own publish at once.
 *
 * <h2>Example</h2>
 * {@code gpu-1} publishes {sdxl, echo-java} and {@code gpu-2} publishes {sdxl}. After a gossip round,
 * {@link #nodesByConfig} on any member answers {echo-java: [gpu-1], sdxl: [gpu-1, gpu-2]}. {@code gpu-2} is downed:
 * from then on reads skip its entry, and once the cluster removes it the remaining members delete it.
 * {@code gpu-2} restarts at the same address with a new uid and publishes under a new key; its old entry is not
 * revived.
 *
 * <h2>Known caveats</h2>
 * <ul>
 *   <li>Writes and reads are local ({@code writeLocal}, {@code readLocal}): other members see a change after a
 *   gossip round, so right after start-up a node may be missing from another's answer.</li>
 *   <li>A member that is unreachable but not yet downed is still listed: reachability is not a member status.</li>
 *   <li>Submitting is not refused by the directory: a job for a config that no live node hosts is accepted and
 *   waits queued until one does; the gateway shows it with a {@code waiting_for_placement} warning.</li>
 *   <li>Nodes of versions that use different Distributed Data keys (this one's is {@code spindle-hosting-directory})
 *   do not see each other's entries.</li>
 * </ul>
 */
public final class HostingDirectory implements Extension {
    /** The {@code spindle.directory} configuration (spindle-directory.conf). */
    public static final String CONFIG_PATH = "spindle.directory";
    private static final Key<LWWMap<String, String>> KEY = LWWMapKey.create("spindle-hosting-directory");
    private static final Set<MemberStatus> GONE = Set.of(MemberStatus.down(), MemberStatus.exiting(), MemberStatus.removed());
    private static final Logger log = LoggerFactory.getLogger(HostingDirectory.class);
    /** Decoded entries kept, by their JSON; a cluster has a handful of members, each republishing rarely. */
    private static final int MAX_DECODED_ENTRIES = 256;

    /** One member's published placement; {@code upSince} is null until the member has seen itself up. */
    public record NodeEntry(String address, long uid, String node, Set<String> configIds, Instant upSince) {
        public NodeEntry {
            configIds = configIds == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(configIds));
        }
    }

    /** The live entries of one replica and one membership, and the same by config: computed once per change. */
    private record Live(LWWMap<String, String> replica, Object members, List<NodeEntry> entries,
                        Map<String, Set<String>> byConfig) {}

    private final ActorSystem<?> system;
    private final Map<String, NodeEntry> decodedEntries = new ConcurrentHashMap<>();
    /** The local replica as last notified to the writer; null until then and after the writer's own writes. */
    private final AtomicReference<LWWMap<String, String>> replica = new AtomicReference<>();
    private volatile Live lastLive;
    private final ActorRef<Command> writer;
    private final Duration askTimeout;

    private HostingDirectory(ActorSystem<?> system) {
        this.system = system;
        this.askTimeout = system.settings().config().getConfig(CONFIG_PATH).getDuration("ask-timeout");
        String defaultName = system.settings().config().hasPath("spindle.node.name")
                ? system.settings().config().getString("spindle.node.name") : null;
        this.writer = system.systemActorOf(Writer.create(defaultName, Clock.systemUTC(), replica), "spindleHostingDirectory",
                Props.empty());
    }

    public static HostingDirectory get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /**
     * Publishes this node's name and hosted config ids (replacing what it published before). Completes
     * once written locally; other members see it after a gossip round.
     */
    public CompletionStage<Done> publish(String node, Set<String> configIds) {
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("a node name is required");
        }
        Set<String> ids = Set.copyOf(configIds);
        return PekkoStages.direct(AskPattern.askWithStatus(writer, (ActorRef<StatusReply<Done>> r) -> new Publish(node, ids, r), askTimeout,
                system.scheduler()));
    }

    /** The entries of every member that is not down, exiting or gone, by address. */
    public CompletionStage<List<NodeEntry>> nodes() {
        return live().thenApply(Live::entries);
    }

    /** Config id → names of the nodes hosting it, for members that are not down, exiting or gone. */
    public CompletionStage<Map<String, Set<String>>> nodesByConfig() {
        return live().thenApply(Live::byConfig);
    }

    private CompletionStage<Live> live() {
        LWWMap<String, String> known = replica.get();
        if (known != null) {
            return CompletableFuture.completedFuture(live(known));
        }
        return PekkoStages.direct(AskPattern.<Replicator.Command, Replicator.GetResponse<LWWMap<String, String>>>ask(
                        DistributedData.get(system).replicator(),
                        r -> new Replicator.Get<>(KEY, Replicator.readLocal(), r), askTimeout, system.scheduler()))
                // NotFound: nothing published yet. A local read cannot fail otherwise.
                .thenApply(response -> live(response instanceof Replicator.GetSuccess<LWWMap<String, String>> found
                        ? found.get(KEY) : LWWMap.empty()));
    }

    /** The live entries of {@code map}: the last ones computed while neither it nor the membership has changed. */
    private Live live(LWWMap<String, String> map) {
        Object members = Cluster.get(system).state().members();
        Live last = lastLive;
        if (last != null && last.replica() == map && last.members() == members) {
            return last;
        }
        List<NodeEntry> entries = liveEntries(map);
        Map<String, Set<String>> byConfig = new TreeMap<>();
        for (NodeEntry e : entries) {
            e.configIds().forEach(id -> byConfig.computeIfAbsent(id, k -> new TreeSet<>()).add(e.node()));
        }
        Map<String, Set<String>> frozen = new TreeMap<>();
        byConfig.forEach((k, v) -> frozen.put(k, Collections.unmodifiableSet(v)));
        Live computed = new Live(map, members, entries, Collections.unmodifiableMap(frozen));
        lastLive = computed;
        return computed;
    }

    private List<NodeEntry> liveEntries(LWWMap<String, String> map) {
        Set<String> live = new HashSet<>();
        for (Member m : Cluster.get(system).state().getMembers()) {
            if (!GONE.contains(m.status())) {
                live.add(keyOf(m.uniqueAddress()));
            }
        }
        List<NodeEntry> entries = new ArrayList<>();
        map.getEntries().forEach((key, json) -> {
            if (live.contains(key)) {
                NodeEntry entry = decoded(key, json);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        });
        entries.sort(Comparator.comparing(NodeEntry::address).thenComparingLong(NodeEntry::uid));
        return List.copyOf(entries);
    }

    static String keyOf(UniqueAddress address) {
        return address.address() + "#" + address.longUid();
    }

    /** The entry {@code json} holds, decoded once: every job read asks for the placement, and entries rarely change. */
    private NodeEntry decoded(String key, String json) {
        NodeEntry known = decodedEntries.get(json);
        if (known != null) {
            return known;
        }
        NodeEntry entry = decode(key, json);
        if (entry != null) {
            if (decodedEntries.size() >= MAX_DECODED_ENTRIES) {
                decodedEntries.clear(); // old versions of entries: a member's entry changes when it republishes
            }
            decodedEntries.put(json, entry);
        }
        return entry;
    }

    private static NodeEntry decode(String key, String json) {
        try {
            return Json.mapper().readValue(json, NodeEntry.class);
        } catch (JsonProcessingException e) {
            // Written by a node of another version, perhaps: skip it rather than fail every read.
            log.warn("placement entry {} is unreadable, skipping it: {}", key, e.getOriginalMessage());
            return null;
        }
    }

    // ---- the writer: the one actor that writes this node's entry and deletes removed members' ------

    private sealed interface Command {}

    private record Publish(String node, Set<String> configIds, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    private record SelfBecameUp() implements Command {}

    private record MemberGone(UniqueAddress member) implements Command {}

    private record Written(Replicator.UpdateResponse<LWWMap<String, String>> response, ActorRef<StatusReply<Done>> replyTo)
            implements Command {}

    private record ReplicaChanged(Replicator.SubscribeResponse<LWWMap<String, String>> response) implements Command {}

    private static final class Writer {
        private final ActorContext<Command> ctx;
        private final ReplicatorMessageAdapter<Command, LWWMap<String, String>> replicator;
        private final SelfUniqueAddress self;
        private final UniqueAddress selfAddress;
        private final Clock clock;
        private final AtomicReference<LWWMap<String, String>> replica;
        private String node;
        private Set<String> configIds = Set.of();
        private Instant upSince;

        private Writer(ActorContext<Command> ctx, ReplicatorMessageAdapter<Command, LWWMap<String, String>> replicator,
                       String defaultName, Clock clock, AtomicReference<LWWMap<String, String>> replica) {
            this.ctx = ctx;
            this.replica = replica;
            this.replicator = replicator;
            this.self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
            this.selfAddress = Cluster.get(ctx.getSystem()).selfMember().uniqueAddress();
            this.node = defaultName;
            this.clock = clock;
        }

        static Behavior<Command> create(String defaultName, Clock clock, AtomicReference<LWWMap<String, String>> replica) {
            return Behaviors.setup(ctx -> DistributedData.<Command, LWWMap<String, String>>withReplicatorMessageAdapter(replicator -> {
                Cluster cluster = Cluster.get(ctx.getSystem());
                cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(SelfUp.class, up -> new SelfBecameUp()), SelfUp.class));
                cluster.subscriptions().tell(Subscribe.create(
                        ctx.messageAdapter(ClusterEvent.MemberRemoved.class, e -> new MemberGone(e.member().uniqueAddress())),
                        ClusterEvent.MemberRemoved.class));
                replicator.subscribe(KEY, ReplicaChanged::new);
                return new Writer(ctx, replicator, defaultName, clock, replica).behavior();
            }));
        }

        private Behavior<Command> behavior() {
            return Behaviors.receive(Command.class)
                    .onMessage(Publish.class, this::onPublish)
                    .onMessage(SelfBecameUp.class, m -> onSelfUp())
                    .onMessage(MemberGone.class, this::onMemberGone)
                    .onMessage(Written.class, this::onWritten)
                    .onMessage(ReplicaChanged.class, this::onReplicaChanged)
                    .build();
        }

        private Behavior<Command> onPublish(Publish p) {
            node = p.node();
            configIds = p.configIds();
            writeOwnEntry(p.replyTo());
            return Behaviors.same();
        }

        private Behavior<Command> onSelfUp() {
            upSince = clock.instant();
            if (node != null) {
                // Published before being up (or a node without hosted configs): now with its up-since time.
                writeOwnEntry(null);
            }
            return Behaviors.same();
        }

        private Behavior<Command> onMemberGone(MemberGone m) {
            if (m.member().equals(selfAddress)) {
                return Behaviors.same(); // leaving: the remaining members delete this node's entry
            }
            String key = keyOf(m.member());
            replicator.askUpdate(
                    r -> new Replicator.Update<>(KEY, LWWMap.empty(), Replicator.writeLocal(), r,
                            map -> map.contains(key) ? map.remove(self, key) : map),
                    response -> new Written(response, null));
            ctx.getLog().info("placement: member {} was removed, its entry is deleted", key);
            return Behaviors.same();
        }

        private Behavior<Command> onReplicaChanged(ReplicaChanged m) {
            if (m.response() instanceof Replicator.Changed<LWWMap<String, String>> changed) {
                replica.set(changed.get(KEY));
            }
            return Behaviors.same();
        }

        private Behavior<Command> onWritten(Written w) {
            // The replica changed (or may have): reads ask until the notification of this write brings it.
            replica.set(null);
            boolean ok = w.response() instanceof Replicator.UpdateSuccess;
            if (w.replyTo() != null) {
                w.replyTo().tell(ok ? StatusReply.ack() : StatusReply.error("placement write failed: " + w.response()));
            } else if (!ok) {
                ctx.getLog().warn("placement write failed: {}", w.response());
            }
            return Behaviors.same();
        }

        private void writeOwnEntry(ActorRef<StatusReply<Done>> replyTo) {
            String key = keyOf(selfAddress);
            String json;
            try {
                json = Json.mapper().writeValueAsString(new NodeEntry(selfAddress.address().toString(), selfAddress.longUid(),
                        node, configIds, upSince));
            } catch (JsonProcessingException e) {
                if (replyTo != null) {
                    replyTo.tell(StatusReply.error(e));
                }
                return;
            }
            replicator.askUpdate(
                    r -> new Replicator.Update<>(KEY, LWWMap.empty(), Replicator.writeLocal(), r, map -> map.put(self, key, json)),
                    response -> new Written(response, replyTo));
            ctx.getLog().info("placement: node {} ({}) hosts {}", node, key, configIds);
        }
    }

    private static final class Id extends ExtensionId<HostingDirectory> {
        static final Id INSTANCE = new Id();

        @Override
        public HostingDirectory createExtension(ActorSystem<?> system) {
            return new HostingDirectory(system);
        }
    }
}
