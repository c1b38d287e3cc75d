package dev.rnnplayground.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.rnnplayground.server.common.ServiceException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP responses. Every error leaves as a {@link Problem}
 * with content type {@code application/problem+json}; stack traces go to the log, never to the
 * client.
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    private ErrorMapping() {
    }

    public static void register(RoutesConfig routes, java.nio.file.Path dataDir) {
        routes.exception(ServiceException.class, (e, ctx) -> {
            int status = statusOf(e.kind());
            Map<String, List<String>> errors = new LinkedHashMap<>();
            e.fieldErrors().forEach((field, message) -> errors.put(field, List.of(message)));
            if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            respond(ctx, new Problem(e.title(), status, e.getMessage(), errors));
        });
        routes.exception(ValidationException.class, (e, ctx) -> respond(ctx, validationProblem(e)));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            HttpStatus status = HttpStatus.forStatus(e.getStatus());
            String title = status == HttpStatus.UNKNOWN ? "Error" : status.getMessage();
            String detail = e.getStatus() == 404 ? "There is nothing at " + ctx.method() + " " + ctx.path() + "."
                    : e.getMessage();
            respond(ctx, new Problem(title, e.getStatus(), detail));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            Problem known = Failures.describe(e, dataDir);
            if (known != null) {
                LOG.warn("{} {}: {}", ctx.method(), ctx.path(), known.detail());
                respond(ctx, known);
                return;
            }
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            respond(ctx, new Problem("Internal error", 500,
                    "The server could not handle this request; the details are in the server log."));
        });
    }

    static int statusOf(ServiceException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNPROCESSABLE -> 422;
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case CONFLICT -> 409;
            case NOT_ACCEPTABLE -> 406;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case TOO_MANY -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    public static void respond(Context ctx, Problem problem) {
        drainUnreadBody(ctx, DRAIN_LIMIT);
        ctx.status(problem.status()).json(problem).contentType(PROBLEM_JSON);
    }

    /**
     * Answers a client that may not send a body at all here (no token, a foreign page) without
     * reading what it sends, and closes the connection: it costs one short answer, never a thread
     * waiting for megabytes that may trickle in a byte at a time.
     */
    public static void refuseAndClose(Context ctx, Problem problem) {
        ctx.header("Connection", "close");
        ctx.status(problem.status()).json(problem).contentType(PROBLEM_JSON);
    }

    /** Bodies up to this size are read to the end before an error is sent (see drainUnreadBody). */
    private static final long DRAIN_LIMIT = 4L * 1024 * 1024;

    /**
     * A client that is still sending its body when the server answers and closes the connection
     * gets "broken pipe" or "connection reset" instead of the answer. So the rest of a body the
     * handler did not read is read and thrown away, up to {@code limit} bytes; a body declared
     * larger is cut off, as it must be.
     */
    static void drainUnreadBody(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared == 0 || declared > limit) return;
        try {
            java.io.InputStream in = ctx.req().getInputStream();
            byte[] skip = new byte[16 * 1024];
            long total = 0;
            for (int n; total <= limit && (n = in.read(skip)) > 0; ) total += n;
        } catch (java.io.IOException | RuntimeException e) {
            // already read (e.g. by the multipart parser), or the client has gone: nothing to drain
        }
    }

    /**
     * Field-by-field messages. A body that is not even the right JSON arrives here as a conversion
     * error of the whole body; Jackson's message names Java classes, so it is rewritten in terms of
     * the JSON the client sent.
     */
    private static Problem validationProblem(ValidationException e) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (Map.Entry<String, List<ValidationError<Object>>> field : e.getErrors().entrySet()) {
            List<String> messages = new ArrayList<>();
            for (ValidationError<Object> error : field.getValue()) {
                Exception cause = error.exception();
                if (cause != null) {
                    Map.Entry<String, String> described = describe(cause);
                    errors.computeIfAbsent(described.getKey(), k -> new ArrayList<>()).add(described.getValue());
                } else {
                    messages.add(error.getMessage());
                }
            }
            if (!messages.isEmpty()) errors.computeIfAbsent(field.getKey(), k -> new ArrayList<>()).addAll(messages);
        }
        String detail = errors.entrySet().stream()
                .map(en -> (en.getKey().equals("body") ? "" : en.getKey() + ": ") + String.join("; ", en.getValue()))
                .collect(Collectors.joining(". "));
        return new Problem("Invalid request", 400, detail.isEmpty() ? "The request is not valid." : detail + ".", errors);
    }

    private static Map.Entry<String, String> describe(Throwable cause) {
        // the outermost mapping error knows the field; the innermost cause knows what went wrong
        JsonMappingException located = null;
        Throwable innermost = cause;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (located == null && t instanceof JsonMappingException m && !m.getPath().isEmpty()) located = m;
            if (t instanceof JsonProcessingException) innermost = t;
        }
        if (innermost instanceof InputCoercionException c) {
            String field = located != null ? path(located) : "body";
            Class<?> type = c.getTargetType();
            boolean isLong = type == Long.class || type == long.class;
            return Map.entry(field, "is out of range; expected an integer from " + (isLong ? Long.MIN_VALUE : Integer.MIN_VALUE)
                    + " to " + (isLong ? Long.MAX_VALUE : Integer.MAX_VALUE));
        }
        if (innermost instanceof StreamReadException r && String.valueOf(r.getOriginalMessage()).startsWith("Duplicate field")) {
            String message = r.getOriginalMessage();
            int open = message.indexOf('\''), close = message.lastIndexOf('\'');
            String field = open >= 0 && close > open ? message.substring(open + 1, close) : "body";
            return Map.entry(field, "is given twice; give each field once");
        }
        if (innermost instanceof UnrecognizedPropertyException u) {
            return Map.entry(u.getPropertyName(), "unknown field; known fields are " + u.getKnownPropertyIds());
        }
        if (innermost instanceof InvalidFormatException f) {
            return Map.entry(path(f), "cannot be " + quote(f.getValue()) + "; expected " + jsonType(f.getTargetType()));
        }
        if (innermost instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return Map.entry(path(m), "expected " + jsonType(m.getTargetType()));
        }
        if (innermost instanceof MismatchedInputException) {
            return Map.entry("body", "the body must be a JSON object");
        }
        if (innermost instanceof JsonProcessingException) return Map.entry("body", "the body is not valid JSON");
        return Map.entry("body", "the body must be a JSON object");   // e.g. a body of just 'null'
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String jsonType(Class<?> type) {
        if (type == null) return "another value";
        if (type == String.class || type.isEnum()) return "a string";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "an integer";
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        return "an object";
    }

    private static String quote(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
