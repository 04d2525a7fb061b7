package io.spindle.node.registry;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static io.spindle.node.mongo.JsonDocuments.ID;
import static io.spindle.node.mongo.MongoStages.run;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.node.mongo.JsonDocuments;
import io.spindle.node.mongo.MongoStages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The config registry in MongoDB. {@code configs} holds the latest version of each config ({@code _id} = config
 * id) and is where concurrent writers are serialised; {@code config_versions} keeps every version, keyed by the
 * unique (id, version) index. Without transactions, {@code configs} is written first and
 * {@link #configVersions} takes the latest version from it, so a crash between the two writes hides nothing.
 */
public final class MongoConfigRegistry implements ConfigRegistry {
    static final String CONFIGS = "configs";
    static final String CONFIG_VERSIONS = "config_versions";
    /** A version document's config id: the record's own field, since the document has no {@code _id} of its own. */
    private static final String CONFIG_KEY = "id";
    private static final String VERSION = "version";
    private static final String IS_ACTIVE = "is_active";

    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private final MongoCollection<BsonDocument> configs;
    private final MongoCollection<BsonDocument> versions;

    public MongoConfigRegistry(MongoDatabase database) {
        this.configs = database.getCollection(CONFIGS, BsonDocument.class);
        this.versions = database.getCollection(CONFIG_VERSIONS, BsonDocument.class);
    }

    /** A registry whose indexes exist, ready to serve. */
    public static CompletionStage<MongoConfigRegistry> start(MongoDatabase database) {
        MongoConfigRegistry registry = new MongoConfigRegistry(database);
        return registry.createIndexes().thenApply(done -> registry);
    }

    /** Creates the unique (id, version) index of {@code config_versions} (idempotent). */
    public CompletionStage<Void> createIndexes() {
        IndexModel versionKey = new IndexModel(Indexes.ascending(CONFIG_KEY, VERSION), new IndexOptions().unique(true));
        return run("create config registry indexes", Mono.from(versions.createIndexes(List.of(versionKey))).then());
    }

    @Override
    public CompletionStage<ModelConfig> createConfig(ModelConfig config) {
        return run("create config " + config.id(), Mono.from(configs.insertOne(document(config)))
                .onErrorMap(MongoStages::isDuplicateKey,
                        e -> new SpindleException(ErrorCode.ALREADY_EXISTS, "config '" + config.id() + "' already exists"))
                .then(recordVersion(config))
                .thenReturn(config));
    }

    @Override
    public CompletionStage<Optional<ModelConfig>> config(String id) {
        return run("read config " + id, latest(id).map(Optional::of).defaultIfEmpty(Optional.empty()));
    }

    @Override
    public CompletionStage<List<ModelConfig>> configs() {
        return run("list configs", Flux.from(configs.find().sort(Sorts.ascending(ID)))
                .map(MongoConfigRegistry::config)
                .collectList());
    }

    @Override
    public CompletionStage<ModelConfig> saveConfigVersion(ModelConfig next) {
        Bson current = and(eq(ID, next.id()), eq(VERSION, next.version() - 1));
        return run("save version " + next.version() + " of config " + next.id(),
                Mono.from(configs.replaceOne(current, document(next)))
                        .flatMap(result -> result.getMatchedCount() == 1
                                ? recordVersion(next).thenReturn(next)
                                : latest(next.id())
                                        .flatMap(stored -> Mono.<ModelConfig>error(new SpindleException(ErrorCode.INVALID_STATE,
                                                "config '" + next.id() + "' is at version " + stored.version()
                                                        + ", cannot store version " + next.version())))
                                        .switchIfEmpty(Mono.error(() -> notFound(next.id())))));
    }

    @Override
    public CompletionStage<ModelConfig> setConfigActive(String id, boolean active) {
        FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
        return run("set config " + id + " active=" + active,
                Mono.from(configs.findOneAndUpdate(eq(ID, id), Updates.set(IS_ACTIVE, active), after))
                        .switchIfEmpty(Mono.error(() -> notFound(id)))
                        .map(MongoConfigRegistry::config)
                        .flatMap(updated -> Mono.from(versions.updateOne(
                                        and(eq(CONFIG_KEY, id), eq(VERSION, updated.version())), Updates.set(IS_ACTIVE, active)))
                                .thenReturn(updated)));
    }

    @Override
    public CompletionStage<List<ModelConfig>> configVersions(String id) {
        Mono<List<ModelConfig>> history = Flux.from(versions.find(eq(CONFIG_KEY, id)).sort(Sorts.ascending(VERSION)))
                .map(MongoConfigRegistry::config)
                .collectList();
        Mono<Optional<ModelConfig>> latestVersion = latest(id).map(Optional::of).defaultIfEmpty(Optional.empty());
        return run("read versions of config " + id, Mono.zip(history, latestVersion).map(both -> {
            Optional<ModelConfig> newest = both.getT2();
            if (newest.isEmpty()) {
                return both.getT1();
            }
            List<ModelConfig> all = new ArrayList<>();
            both.getT1().stream().filter(v -> v.version() < newest.get().version()).forEach(all::add);
            all.add(newest.get());
            return all;
        }));
    }

    /** A config's document in {@code configs}, keyed by its id. */
    static BsonDocument document(ModelConfig config) {
        return JsonDocuments.withId(config.id(), config);
    }

    static ModelConfig config(BsonDocument doc) {
        return JsonDocuments.read(doc, ModelConfig.class);
    }

    private Mono<ModelConfig> latest(String id) {
        return Mono.from(configs.find(eq(ID, id)).first()).map(MongoConfigRegistry::config);
    }

    private Mono<Void> recordVersion(ModelConfig config) {
        return Mono.from(versions.replaceOne(and(eq(CONFIG_KEY, config.id()), eq(VERSION, config.version())),
                JsonDocuments.of(config), UPSERT)).then();
    }

    private static SpindleException notFound(String id) {
        return new SpindleException(ErrorCode.CONFIG_NOT_FOUND, "config '" + id + "' does not exist");
    }
}
