package io.spindle.gateway.http;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.spindle.model.validation.FieldError;
import io.spindle.model.validation.ValidationException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a JSON request body may hold, so that whatever the gateway accepts every store can hold and the
 * read model can project ({@code spindle.gateway.json}, documented in docs/openapi.yaml):
 * <ul>
 *   <li>no NUL character in any key or string: BSON stores keys as NUL-terminated cstrings, and a job
 *       view with such a key is refused by the read model's store;</li>
 *   <li>no unpaired UTF-16 surrogate (from a {@code \ud800} escape): UTF-8 cannot encode it, so the stores
 *       would silently change it;</li>
 *   <li>numbers the stores hold exactly: finite, and integers of at most {@value #MAX_INTEGER_DIGITS} digits
 *       (Decimal128's precision; beyond it BSON has only a lossy double);</li>
 *   <li>a free-form value (a job's {@code input}, a config's {@code params}) nests at most {@code maxDepth}
 *       levels of objects and arrays, the value itself being level 1; the body as a whole at most
 *       {@code maxBodyDepth}, which the parser enforces before building anything.</li>
 * </ul>
 * Keys starting with {@code $} or holding a {@code .} are allowed: the view store keeps them inside
 * {@code input} and {@code params}, where they never meet a query or update operator.
 */
public record JsonLimits(int maxDepth, int maxBodyDepth) {
    /** Decimal128 holds 34 significant decimal digits. */
    public static final int MAX_INTEGER_DIGITS = 34;
    /** Problems reported per body: enough to fix a document in one go, few enough to keep the answer small. */
    private static final int MAX_PROBLEMS = 10;
    private static final char NUL = '\u0000';

    public JsonLimits {
        if (maxDepth < 1 || maxBodyDepth < maxDepth) {
            throw new IllegalArgumentException("spindle.gateway.json: max-depth must be positive and at most max-body-depth, was "
                    + maxDepth + " and " + maxBodyDepth);
        }
    }

    /** @param c the {@code spindle.gateway.json} section */
    public static JsonLimits fromConfig(Config c) {
        return new JsonLimits(c.getInt("max-depth"), c.getInt("max-body-depth"));
    }

    /** What the parser enforces while reading a body. */
    public StreamReadConstraints parserConstraints() {
        return StreamReadConstraints.builder().maxNestingDepth(maxBodyDepth).build();
    }

    /** @throws ValidationException naming the path of each key, string or number a store cannot hold */
    public void checkBody(JsonNode body) {
        List<FieldError> problems = new ArrayList<>();
        content(JsonProblems.BODY, body, problems);
        throwIfAny(problems);
    }

    /**
     * @param path where the value is, e.g. {@code input}
     * @throws ValidationException naming the first path nested deeper than {@link #maxDepth}
     */
    public void checkValue(String path, JsonNode value) {
        List<FieldError> problems = new ArrayList<>();
        depth(path, value, 1, problems);
        throwIfAny(problems);
    }

    private void content(String path, JsonNode node, List<FieldError> problems) {
        if (problems.size() >= MAX_PROBLEMS || node == null) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = child(path, field.getKey());
                String keyProblem = textProblem(field.getKey());
                if (keyProblem != null) {
                    problems.add(new FieldError(child, "key " + keyProblem));
                }
                content(child, field.getValue(), problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                content(path + "[" + i + "]", node.get(i), problems);
            }
        } else if (node.isTextual()) {
            String problem = textProblem(node.textValue());
            if (problem != null) {
                problems.add(new FieldError(path, problem));
            }
        } else if (node.isNumber()) {
            String problem = numberProblem(node);
            if (problem != null) {
                problems.add(new FieldError(path, problem));
            }
        }
    }

    private void depth(String path, JsonNode node, int level, List<FieldError> problems) {
        if (!problems.isEmpty() || node == null || !node.isContainerNode()) {
            return;
        }
        if (level > maxDepth) {
            problems.add(new FieldError(path, "nests too deep: at most " + maxDepth + " levels of objects and arrays"));
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> depth(path + "." + f.getKey(), f.getValue(), level + 1, problems));
        } else {
            for (int i = 0; i < node.size(); i++) {
                depth(path + "[" + i + "]", node.get(i), level + 1, problems);
            }
        }
    }

    /** Why a key or string cannot be stored, or null. */
    private static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == NUL) {
                return "must not contain the NUL character (\\u0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")";
            }
        }
        return null;
    }

    private static String numberProblem(JsonNode number) {
        if (number.isIntegralNumber()) {
            BigInteger value = number.bigIntegerValue();
            return value.abs().toString().length() > MAX_INTEGER_DIGITS
                    ? "is out of range: integers may have at most " + MAX_INTEGER_DIGITS + " digits" : null;
        }
        if (number.isBigDecimal()) {
            return null;
        }
        return Double.isFinite(number.doubleValue()) ? null : "is out of range: not a finite number";
    }

    private static String child(String path, String key) {
        return path.equals(JsonProblems.BODY) ? key : path + "." + key;
    }

    private static void throwIfAny(List<FieldError> problems) {
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }
}
