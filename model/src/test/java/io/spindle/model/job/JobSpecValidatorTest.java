package io.spindle.model.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.spindle.model.json.Json;
import io.spindle.model.validation.FieldError;
import io.spindle.model.validation.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSpecValidatorTest {

    private static JobSpec valid() {
        return new JobSpec("cpu.echo", "echo-v1", Json.object().put("text", "hi"), null, null, null, null, null);
    }

    private static List<FieldError> errorsOf(JobSpec spec) {
        return assertThrows(ValidationException.class, () -> JobSpecValidator.validate(spec)).errors();
    }

    private static FieldError onlyError(JobSpec spec) {
        List<FieldError> errors = errorsOf(spec);
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    @Test
    void validSpecGetsDefaults() {
        JobSpec spec = JobSpecValidator.validate(valid());
        assertEquals(JobSpec.DEFAULT_PRIORITY, spec.priority());
        assertEquals(JobSpec.DEFAULT_MAX_ATTEMPTS, spec.maxAttempts());
        assertEquals(JobSpec.DEFAULT_TIMEOUT_SECONDS, spec.timeoutSeconds());
        assertEquals(Map.of(), spec.labels());
    }

    @Test
    void missingTypeIsNamed() {
        FieldError e = onlyError(new JobSpec(null, "echo-v1", Json.object(), null, null, null, null, null));
        assertEquals("type", e.field());
        assertTrue(e.message().contains("required"));
    }

    @Test
    void unknownNamespaceIsNamed() {
        FieldError e = onlyError(new JobSpec("gpu.run", "echo-v1", Json.object(), null, null, null, null, null));
        assertEquals("type", e.field());
        assertTrue(e.message().contains("namespace 'gpu'"), e.message());
    }

    @Test
    void typeWithoutDotIsNamed() {
        FieldError e = onlyError(new JobSpec("echo", "echo-v1", Json.object(), null, null, null, null, null));
        assertEquals("type", e.field());
        assertTrue(e.message().contains("namespace.name"), e.message());
    }

    @Test
    void badTypeNameIsNamed() {
        FieldError e = onlyError(new JobSpec("cpu.Echo!", "echo-v1", Json.object(), null, null, null, null, null));
        assertEquals("type", e.field());
        assertTrue(e.message().contains("name 'Echo!'"), e.message());
    }

    @Test
    void missingConfigIsNamed() {
        assertEquals("config_id", onlyError(new JobSpec("cpu.echo", null, Json.object(), null, null, null, null, null)).field());
    }

    @Test
    void malformedConfigIdIsNamed() {
        FieldError e = onlyError(new JobSpec("cpu.echo", "Echo V1", Json.object(), null, null, null, null, null));
        assertEquals("config_id", e.field());
    }

    @Test
    void missingInputIsNamed() {
        FieldError e = onlyError(new JobSpec("cpu.echo", "echo-v1", null, null, null, null, null, null));
        assertEquals("input", e.field());
        assertTrue(e.message().contains("required"));
    }

    @Test
    void nonObjectInputIsNamed() {
        FieldError e = onlyError(new JobSpec("cpu.echo", "echo-v1", TextNode.valueOf("x"), null, null, null, null, null));
        assertEquals("input", e.field());
        assertTrue(e.message().contains("must be a JSON object, not string"), e.message());
        assertEquals("input", onlyError(new JobSpec("cpu.echo", "echo-v1", IntNode.valueOf(1), null, null, null, null, null)).field());
    }

    @Test
    void priorityOutOfRangeIsNamed() {
        FieldError e = onlyError(valid().withPriority(10));
        assertEquals("priority", e.field());
        assertTrue(e.message().contains("was 10"));
        assertEquals("priority", onlyError(valid().withPriority(-1)).field());
    }

    @Test
    void maxAttemptsOutOfRangeIsNamed() {
        assertEquals("max_attempts", onlyError(valid().withMaxAttempts(0)).field());
        assertEquals("max_attempts", onlyError(valid().withMaxAttempts(101)).field());
    }

    @Test
    void timeoutOutOfRangeIsNamed() {
        assertEquals("timeout_seconds", onlyError(valid().withTimeoutSeconds(0)).field());
        assertEquals("timeout_seconds", onlyError(valid().withTimeoutSeconds(JobSpecValidator.MAX_TIMEOUT_SECONDS + 1)).field());
    }

    @Test
    void badIdempotencyKeyIsNamed() {
        assertEquals("idempotency_key", onlyError(valid().withIdempotencyKey("has space")).field());
        assertEquals("idempotency_key", onlyError(valid().withIdempotencyKey("x".repeat(201))).field());
    }

    @Test
    void badLabelIsNamedByKey() {
        JobSpec spec = new JobSpec("cpu.echo", "echo-v1", Json.object(), null, null, null, null, Map.of("9bad", "v"));
        assertEquals("labels.9bad", onlyError(spec).field());
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        JobSpec spec = new JobSpec("nope", "", null, 42, 0, 0, null, null);
        List<String> fields = errorsOf(spec).stream().map(FieldError::field).toList();
        assertEquals(List.of("type", "config_id", "input", "priority", "max_attempts", "timeout_seconds"), fields);
    }
}
