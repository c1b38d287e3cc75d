package dev.rnnplayground.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Every error body the API returns, in the shape of RFC 9457 problem details: a short
 * {@code title}, the HTTP {@code status}, a {@code detail} sentence that says what to do, and for
 * field-by-field validation the messages per field in {@code errors}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String title, int status, String detail, Map<String, List<String>> errors) {

    public Problem(String title, int status, String detail) {
        this(title, status, detail, Map.of());
    }
}
