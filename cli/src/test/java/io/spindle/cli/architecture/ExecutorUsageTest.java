package io.spindle.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.spindle.node.concurrent.PekkoStages;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spindle runs the same however it is launched (no {@code ForkJoinPool.common.parallelism} flag needed): no main
 * code leaves a callback to the common pool, which on two cores has one thread and makes CompletableFuture start a
 * thread per callback. Checked over the main classes of every module (all are on this module's classpath).
 */
class ExecutorUsageTest {
    private static final String PEKKO = "org.apache.pekko.";
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = MainClasses.ofSpindle();
    }

    @Test
    void everyAsyncCallbackNamesItsExecutor() {
        ArchRule rule = noClasses().should().callMethodWhere(asyncWithoutExecutor())
                .because("without an executor the callback runs on ForkJoinPool.commonPool(), a new thread per callback on"
                        + " two cores; pass the actor system's executionContext() or a named executor");
        rule.check(main);
    }

    @Test
    void everyStageFromPekkoIsMadePlainBeforeCallbacksAreChained() {
        ArchRule rule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits().should(passPekkoStagesThroughDirect())
                .because("a stage from Pekko's Java API runs even thenApply/handle/pipeToSelf on the common pool");
        rule.check(main);
    }

    /** Calls of {@code CompletionStage}/{@code CompletableFuture} {@code *Async} methods (and delayedExecutor) without an Executor. */
    private static DescribedPredicate<JavaMethodCall> asyncWithoutExecutor() {
        return DescribedPredicate.describe("a CompletionStage *Async method without an Executor", call -> {
            JavaClass owner = call.getTargetOwner();
            boolean stage = owner.isAssignableTo(CompletionStage.class) || owner.isEquivalentTo(CompletableFuture.class);
            String name = call.getName();
            boolean async = name.endsWith("Async") || name.equals("delayedExecutor");
            List<JavaClass> params = call.getTarget().getParameterTypes().stream().map(t -> t.toErasure()).toList();
            boolean withExecutor = !params.isEmpty() && params.get(params.size() - 1).isAssignableTo(Executor.class);
            return stage && async && !withExecutor;
        });
    }

    /** A code unit that obtains a CompletionStage from a Pekko method also calls {@link PekkoStages#direct}. */
    private static ArchCondition<JavaCodeUnit> passPekkoStagesThroughDirect() {
        return new ArchCondition<>("pass every CompletionStage a Pekko method returns through PekkoStages.direct") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                if (unit.getName().startsWith("$")) {
                    return; // compiler-generated (lambda deserialization), not code anyone wrote
                }
                List<JavaCall<?>> fromPekko = unit.getCallsFromSelf().stream()
                        .filter(call -> call.getTargetOwner().getName().startsWith(PEKKO) && returnsStage(call))
                        .toList();
                boolean direct = unit.getCallsFromSelf().stream()
                        .anyMatch(call -> call.getTargetOwner().isEquivalentTo(PekkoStages.class) && call.getName().equals("direct"));
                if (!fromPekko.isEmpty() && !direct) {
                    fromPekko.forEach(call -> events.add(SimpleConditionEvent.violated(unit, call.getDescription())));
                }
            }
        };
    }

    /** Declared to return a stage, or a stream's materialized value (a generic M, which is usually one: runWith(Sink.seq())). */
    private static boolean returnsStage(JavaCall<?> call) {
        JavaClass returned = call.getTarget().getRawReturnType();
        boolean materialized = call.getTargetOwner().getPackageName().startsWith(PEKKO + "stream")
                && call.getName().startsWith("run") && returned.isEquivalentTo(Object.class);
        return returned.isAssignableTo(CompletionStage.class) || materialized;
    }
}
