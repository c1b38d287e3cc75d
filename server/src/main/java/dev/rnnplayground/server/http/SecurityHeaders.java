package dev.rnnplayground.server.http;

import io.javalin.http.Context;

/**
 * Headers on every response that keep a browser from misusing the page: no other site may show it
 * in a frame (clickjacking), no response is sniffed into another type, and no address (which may
 * carry {@code ?token=}) leaks to other sites as a referrer.
 */
public final class SecurityHeaders {

    private SecurityHeaders() {
    }

    public static void add(Context ctx) {
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "frame-ancestors 'none'; object-src 'none'; base-uri 'self'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }
}
