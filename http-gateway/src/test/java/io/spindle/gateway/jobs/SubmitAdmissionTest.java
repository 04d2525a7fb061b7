package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.gateway.http.ApiErrors;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.error.ErrorCode;
import io.spindle.node.metrics.SpindleMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The permits: taken per submit, refused when none is free, always given back. */
class SubmitAdmissionTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();

    private final SubmitAdmission admission = new SubmitAdmission(new AdmissionSettings(2, 2, 2, Duration.ofSeconds(10), Duration.ofMillis(1500), Duration.ofSeconds(1)),
            SpindleMetrics.get(NODE.system()));

    @Test
    void aSubmitBeyondTheLimitIsRefusedWithoutRunning() {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        admission.admit(() -> first);
        admission.admit(() -> second);
        AtomicInteger ran = new AtomicInteger();

        CompletionStage<String> refused = admission.admit(() -> {
            ran.incrementAndGet();
            return CompletableFuture.completedFuture("never");
        });

        assertEquals(0, ran.get());
        assertEquals(ErrorCode.OVERLOADED, ApiErrors.toError(failure(refused)).code());
        assertEquals(2L, ApiErrors.toError(failure(refused)).details().get(ApiErrors.RETRY_AFTER_SECONDS), "1.5 s rounds up");
        first.complete("done");
        assertEquals(1, admission.inFlight());
        admission.admit(() -> CompletableFuture.completedFuture("fits again"));
        assertEquals(1, admission.inFlight());
    }

    @Test
    void aPermitIsGivenBackWhenTheSubmitFailsOrThrows() {
        admission.admit(() -> CompletableFuture.failedFuture(new IllegalStateException("store down")));
        CompletionStage<String> thrown = admission.admit(() -> {
            throw new IllegalArgumentException("bad");
        });

        assertInstanceOf(IllegalArgumentException.class, ApiErrors.unwrap(failure(thrown)));
        assertEquals(0, admission.inFlight());
    }

    @Test
    void onlyAnUnansweredSubmitLeavesTheJobsFateUnknown() {
        var unknown = admission.outcomeUnknown("j-1", "key-1", Duration.ofSeconds(10));

        assertEquals(ErrorCode.UNAVAILABLE, unknown.code());
        assertEquals("j-1", unknown.details().get("job_id"));
        assertEquals("key-1", unknown.details().get(SubmitAdmission.IDEMPOTENCY_KEY_DETAIL));
        assertTrue(unknown.message().contains("Idempotency-Key: key-1"), unknown.message());
        assertTrue(admission.notCreated("late").message().contains("created no job"));
    }

    private static Throwable failure(CompletionStage<?> stage) {
        return stage.toCompletableFuture().handle((v, f) -> f).join();
    }
}
