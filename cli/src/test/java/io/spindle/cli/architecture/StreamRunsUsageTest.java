package io.spindle.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import io.spindle.node.stream.StreamRuns;
import java.util.List;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SystemMaterializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every stream Spindle runs is counted in {@code spindle_stream_materializations_total} (the per-job budget of
 * JobCostBudgetTest): streams are run with a {@link StreamRuns} materializer, never with the actor system's own.
 */
class StreamRunsUsageTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = MainClasses.ofSpindle();
    }

    @Test
    void noStreamIsRunWithTheSystemItself() {
        ArchRule rule = noClasses().should().callMethodWhere(runWithASystem())
                .because("a stream run with the actor system is not counted: run it with StreamRuns.get(system).materializer(site)");
        rule.check(main);
    }

    @Test
    void onlyStreamRunsTakesTheSystemMaterializer() {
        ArchRule rule = noClasses().that().doNotBelongToAnyOf(StreamRuns.class)
                .should().callMethodWhere(systemMaterializer())
                .because("streams run with the system materializer are not counted: use StreamRuns.get(system).materializer(site)");
        rule.check(main);
    }

    /** Pekko stream methods named run* whose last parameter is an actor system (runWith(sink, system) and the like). */
    private static DescribedPredicate<JavaMethodCall> runWithASystem() {
        return DescribedPredicate.describe("a Pekko stream run* method given an actor system", call -> {
            boolean stream = call.getTargetOwner().getPackageName().startsWith("org.apache.pekko.stream");
            List<JavaClass> params = call.getTarget().getParameterTypes().stream().map(t -> t.toErasure()).toList();
            boolean withSystem = !params.isEmpty() && params.get(params.size() - 1).isAssignableTo(ClassicActorSystemProvider.class);
            return stream && call.getName().startsWith("run") && withSystem;
        });
    }

    private static DescribedPredicate<JavaMethodCall> systemMaterializer() {
        return DescribedPredicate.describe("Materializer.matFromSystem or SystemMaterializer", call ->
                (call.getTargetOwner().isEquivalentTo(Materializer.class) && call.getName().equals("matFromSystem"))
                        || call.getTargetOwner().isEquivalentTo(SystemMaterializer.class));
    }
}
