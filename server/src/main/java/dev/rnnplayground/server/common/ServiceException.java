package dev.rnnplayground.server.common;

import java.util.Map;

/**
 * A request the services refuse, in words a user can act on. Services throw it without knowing
 * about HTTP; {@code http.ErrorMapping} turns the {@link Kind} into a status code.
 */
public class ServiceException extends RuntimeException {

    /** Why a request was refused; each maps to one HTTP status. */
    public enum Kind {
        /** The input is malformed or out of range (400). */
        INVALID,
        /** The content was understood but cannot be used, e.g. a text that is not UTF-8 (422). */
        UNPROCESSABLE,
        /** No such corpus, job or model (404). */
        NOT_FOUND,
        /** The thing is in a state that forbids the request, e.g. cancelling a finished job (409). */
        CONFLICT,
        /** The upload is larger than the configured limit (413). */
        TOO_LARGE,
        /** The client does not accept what the endpoint sends, e.g. an event stream without {@code Accept: text/event-stream} (406). */
        NOT_ACCEPTABLE,
        /** The body has a media type the endpoint does not take (415). */
        UNSUPPORTED_MEDIA_TYPE,
        /** The request names something the caller may see but not change, e.g. a learner deleting a shared model (403). */
        FORBIDDEN,
        /** The server is at capacity, e.g. too many queued jobs (429). */
        TOO_MANY,
        /** The server cannot do it right now, e.g. it is shutting down (503). */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String title;
    private final Map<String, String> fieldErrors;
    private int retryAfterSeconds;

    public ServiceException(Kind kind, String title, String detail) {
        this(kind, title, detail, Map.of());
    }

    public ServiceException(Kind kind, String title, String detail, Map<String, String> fieldErrors) {
        super(detail);
        this.kind = kind;
        this.title = title;
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    public static ServiceException notFound(String what, String id) {
        return new ServiceException(Kind.NOT_FOUND, "Not found", "There is no " + what + " with id '" + id + "'.");
    }

    public static ServiceException invalid(String detail) {
        return new ServiceException(Kind.INVALID, "Invalid request", detail);
    }

    /** Busy now, but worth asking again after {@code seconds} (the Retry-After header). */
    public static ServiceException busy(String detail, int seconds) {
        ServiceException e = new ServiceException(Kind.UNAVAILABLE, "Busy", detail);
        e.retryAfterSeconds = seconds;
        return e;
    }

    /** How long a client should wait before asking again; 0 when asking again would not help. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    /** Field name to message, for requests with several fields; empty otherwise. */
    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
