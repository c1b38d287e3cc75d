package dev.rnnplayground.server.http;

import io.javalin.http.Context;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headers on every response that keep a browser from misusing the page: no other site may show it
 * in a frame (clickjacking), no response is sniffed into another type, and no address (which may
 * carry {@code ?token=}) leaks to other sites as a referrer.
 */
public final class SecurityHeaders {

    /** The headers, in order; {@link JsonErrorHandler} puts them on the errors Jetty answers itself. */
    static final Map<String, String> HEADERS = headers();

    private SecurityHeaders() {
    }

    public static void add(Context ctx) {
        HEADERS.forEach(ctx::header);
    }

    private static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", "frame-ancestors 'none'; object-src 'none'; base-uri 'self'");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        return Collections.unmodifiableMap(h);
    }
}
