package io.spindle.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.spindle.bridge.runtime.RuntimeBackends;
import io.spindle.bridge.runtime.RuntimeShim;
import io.spindle.model.config.ModelConfig;
import io.spindle.node.registry.SeedConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offers of {@code spindle dev} against the shims that will serve them. */
class DevRuntimesTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    @Test
    void everyOfferNamesABuiltinBackendThatServesItsJobTypes() {
        List<DevRuntimes.Offer> offers = new ArrayList<>(DevRuntimes.OFFERS);
        offers.add(DevRuntimes.textOffer("/models/any.gguf"));
        for (DevRuntimes.Offer offer : offers) {
            RuntimeShim shim = RuntimeBackends.create(offer.backend()).orElseThrow(() -> new AssertionError(offer + ": no such backend"));
            assertTrue(shim.jobTypes().containsAll(offer.jobTypes()), offer + " but " + offer.backend() + " runs " + shim.jobTypes());
        }
    }

    @Test
    void configIdsAreUnique() {
        List<String> ids = new ArrayList<>(DevRuntimes.OFFERS.stream().map(DevRuntimes.Offer::configId).toList());
        ids.add(DevRuntimes.textOffer(null).configId());
        assertEquals(ids.size(), new HashSet<>(ids).size(), ids::toString);
    }

    @Test
    void theBasicEvalsNeedNoEngineAndNoModel() {
        DevRuntimes.Detection found = DevRuntimes.detect(NO_ENV::get);

        DevRuntimes.Offer basic = found.hosted().stream().filter(o -> o.configId().equals("eval-basic")).findFirst().orElseThrow();
        ModelConfig seeded = seeded(found, "eval-basic");
        assertEquals(basic.jobTypes(), seeded.jobTypes());
        assertEquals(null, seeded.modelRef());
    }

    @Test
    void textGenerationIsSkippedUntilTheEnvironmentNamesAGgufFile() throws IOException {
        assertEquals(List.of("text-llamacpp: no model; set SPINDLE_DEV_GGUF to a GGUF file to host it"), textSkips(NO_ENV));

        Path missing = dir.resolve("missing.gguf");
        assertEquals(List.of("text-llamacpp: SPINDLE_DEV_GGUF=" + missing + " is not a file"),
                textSkips(Map.of(DevRuntimes.GGUF_ENV, missing.toString())));

        Path notGguf = Files.writeString(dir.resolve("notes.txt"), "not a model", StandardCharsets.UTF_8);
        assertEquals(List.of("text-llamacpp: SPINDLE_DEV_GGUF=" + notGguf + " is not a GGUF file"),
                textSkips(Map.of(DevRuntimes.GGUF_ENV, notGguf.toString())));
    }

    @Test
    void aGgufFileFromTheEnvironmentIsHostedAsTextLlamacppWithItsAbsolutePath() throws IOException {
        Path gguf = Files.write(dir.resolve("tiny.gguf"), new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0});
        Map<String, String> env = Map.of(DevRuntimes.GGUF_ENV, gguf.toString());

        DevRuntimes.Detection found = DevRuntimes.detect(env::get, backend -> Optional.empty());

        assertEquals(List.of(), textSkips(env));
        assertTrue(found.describe().contains("runtime llamacpp: found, hosting config text-llamacpp (text.generate, text.chat)"),
                found.describe()::toString);
        ModelConfig text = seeded(found, "text-llamacpp");
        assertEquals(gguf.toAbsolutePath().toString(), text.modelRef());
        assertEquals(List.of("text.generate", "text.chat"), text.jobTypes());
        assertEquals("llamacpp", text.runtimeBackend());
    }

    private static List<String> textSkips(Map<String, String> env) {
        DevRuntimes.Detection found = DevRuntimes.detect(env::get, backend -> Optional.empty());
        List<String> skips = new ArrayList<>();
        found.skipped().forEach((offer, why) -> skips.add(offer.configId() + ": " + why));
        assertFalse(found.hosted().stream().anyMatch(o -> o.configId().equals("text-llamacpp")) && !skips.isEmpty());
        return skips;
    }

    private static ModelConfig seeded(DevRuntimes.Detection found, String id) {
        Config config = DevConfig.build(null, null, NO_ENV::get, found);
        return SeedConfigs.fromConfig(config, Instant.now()).stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not seeded"));
    }
}
