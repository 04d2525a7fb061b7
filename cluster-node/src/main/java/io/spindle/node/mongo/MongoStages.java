package io.spindle.node.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Mono;

/** Runs the MongoDB stores' driver pipelines, turning driver failures into typed Spindle errors. */
public final class MongoStages {
    private MongoStages() {}

    /** Runs a driver pipeline, completing with a SpindleException on failure (UNAVAILABLE for the database). */
    public static <T> CompletionStage<T> run(String what, Mono<T> work) {
        return work.onErrorMap(e -> !(e instanceof SpindleException), e -> translate(what, e)).toFuture();
    }

    /** True for a single write refused because a unique index already holds its key. */
    public static boolean isDuplicateKey(Throwable e) {
        return e instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    private static SpindleException translate(String what, Throwable e) {
        ErrorCode code = e instanceof MongoException ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL;
        SpindleException translated = new SpindleException(code, "cannot " + what + ": " + e.getMessage());
        translated.initCause(e);
        return translated;
    }
}
