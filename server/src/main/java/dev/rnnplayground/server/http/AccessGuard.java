package dev.rnnplayground.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The access token check: when the server has a token, every request that changes something
 * (POST, PUT, PATCH, DELETE) must carry {@code Authorization: Bearer <token>}. Reads stay open so
 * that a browser can watch progress with a plain EventSource.
 */
public final class AccessGuard {

    private final byte[] token;

    /** @param token the access token, or null for none (loopback only) */
    public AccessGuard(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public void check(Context ctx) {
        if (token == null || !isMutating(ctx.method())) return;
        String header = ctx.header("Authorization");
        String prefix = "Bearer ";
        boolean ok = header != null && header.regionMatches(true, 0, prefix, 0, prefix.length())
                // constant-time comparison: the time taken does not reveal how much of a guess was right
                && MessageDigest.isEqual(token, header.substring(prefix.length()).strip().getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            ctx.header("WWW-Authenticate", "Bearer");
            ctx.skipRemainingHandlers();
            ErrorMapping.respond(ctx, new Problem("Unauthorized", 401, header == null
                    ? "This server requires an access token: send the header 'Authorization: Bearer <token>'."
                    : "The access token is not valid."));
        }
    }

    private static boolean isMutating(HandlerType method) {
        return method == HandlerType.POST || method == HandlerType.PUT || method == HandlerType.PATCH
                || method == HandlerType.DELETE;
    }
}
