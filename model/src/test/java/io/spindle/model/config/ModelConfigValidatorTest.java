package io.spindle.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.job.JobType;
import io.spindle.model.validation.FieldError;
import io.spindle.model.validation.ValidationException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private static ModelConfig config(String id, String name, List<String> types, String backend) {
        return new ModelConfig(id, name, 0, types, backend, "hf:some/model", null, null, false, null);
    }

    private static FieldError onlyError(ModelConfig c) {
        List<FieldError> errors = assertThrows(ValidationException.class, () -> ModelConfigValidator.validateNew(c, NOW)).errors();
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    @Test
    void validConfigBecomesActiveVersionOne() {
        ModelConfig c = ModelConfigValidator.validateNew(config("sdxl-base", "SDXL", List.of("image.*"), "diffusers"), NOW);
        assertEquals(1, c.version());
        assertTrue(c.isActive());
        assertEquals(NOW, c.createdAt());
        assertTrue(c.params().isEmpty());
        assertTrue(c.serves(JobType.parse("image.generate")));
        assertFalse(c.serves(JobType.parse("text.generate")));
    }

    @Test
    void badIdIsNamed() {
        assertEquals("id", onlyError(config("Bad Id", "n", List.of("cpu.echo"), "java")).field());
        assertEquals("id", onlyError(config(null, "n", List.of("cpu.echo"), "java")).field());
    }

    @Test
    void missingNameIsNamed() {
        assertEquals("name", onlyError(config("c1", " ", List.of("cpu.echo"), "java")).field());
    }

    @Test
    void missingBackendIsNamed() {
        assertEquals("runtime_backend", onlyError(config("c1", "n", List.of("cpu.echo"), null)).field());
    }

    @Test
    void emptyJobTypesIsNamed() {
        assertEquals("job_types", onlyError(config("c1", "n", List.of(), "java")).field());
    }

    @Test
    void badJobTypeIsNamedByIndex() {
        FieldError e = onlyError(config("c1", "n", List.of("cpu.echo", "gpu.x"), "java"));
        assertEquals("job_types[1]", e.field());
        assertTrue(e.message().contains("gpu"));
    }

    @Test
    void wildcardNamespaceIsAccepted() {
        ModelConfig c = ModelConfigValidator.validateNew(config("c1", "n", List.of("cpu.*"), "java"), NOW);
        assertTrue(c.serves(JobType.parse("cpu.sleep")));
    }

    @Test
    void nextVersionKeepsIdAndActiveFlag() {
        ModelConfig v1 = ModelConfigValidator.validateNew(config("c1", "n", List.of("cpu.*"), "java"), NOW);
        ModelConfig v2 = v1.nextVersion(config("c1", "renamed", List.of("cpu.echo"), "python"), NOW.plusSeconds(5));
        assertEquals(2, v2.version());
        assertEquals("renamed", v2.name());
        assertTrue(v2.isActive());
    }
}
