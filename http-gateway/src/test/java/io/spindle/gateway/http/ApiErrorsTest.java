package io.spindle.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.validation.ValidationException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.junit.jupiter.api.Test;
import scala.Option;

/** Every failure maps to one typed error; only the unforeseen is internal. */
class ApiErrorsTest {

    @Test
    void typedFailuresKeepTheirCodeThroughFutureWrappers() {
        SpindleError error = SpindleError.of(ErrorCode.INVALID_STATE, "no");
        assertEquals(error, ApiErrors.toError(new CompletionException(new ExecutionException(new SpindleException(error)))));
        assertEquals(ErrorCode.VALIDATION_FAILED, ApiErrors.toError(new ValidationException("f", "bad")).code());
    }

    @Test
    void limitsAndTimeoutsHaveTheirOwnCodes() {
        SpindleError tooLarge = ApiErrors.toError(new EntityStreamSizeException(10, Option.empty()));
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.code());
        assertEquals(10L, tooLarge.details().get("limit_bytes"));
        assertEquals(ErrorCode.TIMEOUT, ApiErrors.toError(new CompletionException(new AskTimeoutException("slow"))).code());
    }

    @Test
    void anythingElseIsInternalWithAReferenceAndNoDetailsOfTheCause() {
        SpindleError error = ApiErrors.toError(new IllegalStateException("secret detail"));

        assertEquals(ErrorCode.INTERNAL, error.code());
        assertTrue(error.message().contains((String) error.details().get("reference")));
        assertTrue(!error.message().contains("secret detail"));
        assertEquals(500, ApiErrors.response(error).status().intValue());
    }

    @Test
    void aRefusalWorthRetryingLaterCarriesRetryAfter() {
        HttpResponse refused = ApiErrors.response(SpindleError.of(ErrorCode.OVERLOADED, "busy", Map.of(ApiErrors.RETRY_AFTER_SECONDS, 3L)));

        assertEquals(429, refused.status().intValue());
        assertEquals(Optional.of(3L), refused.getHeader(RetryAfter.class).flatMap(RetryAfter::getDelaySeconds));
        assertTrue(ApiErrors.response(SpindleError.of(ErrorCode.INVALID_STATE, "no")).getHeader(RetryAfter.class).isEmpty());
    }
}
