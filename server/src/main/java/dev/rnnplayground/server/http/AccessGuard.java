package dev.rnnplayground.server.http;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The access token, the way Jupyter does it: when the server has a token, every API request
 * (reads too) must show it, as {@code Authorization: Bearer <token>}, as the cookie this class
 * sets, or as {@code ?token=} in the address. {@code rnn serve} prints the page's address with
 * {@code ?token=}; opening it sets the cookie, so that an {@code EventSource} and a download link,
 * which cannot send headers, are let in too. The cookie is {@code SameSite=Strict} and
 * {@code HttpOnly}: other sites' pages never send it and scripts never read it. Only
 * {@code /api/health} stays open, so that a monitor can tell the server is up.
 */
public final class AccessGuard {

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    /** @param token the access token, or null for none (then only loopback addresses are bound) */
    public AccessGuard(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** 24 random bytes in hex, as many as Jupyter's token. */
    public static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The cookie's name carries the port: browsers share cookies between ports of one host. */
    static String cookieName(Context ctx) {
        return "rnn-token-" + ctx.req().getLocalPort();
    }

    /** Every request: a right {@code ?token=} sets the cookie, whatever the path. */
    public void rememberTokenFromAddress(Context ctx) {
        if (token == null) return;
        String fromAddress = ctx.queryParam("token");
        if (matches(fromAddress) && !cookieMatches(ctx)) {
            setCookie(ctx, fromAddress);
        }
    }

    /**
     * Every {@code /api/*} request but health, and but a CORS preflight: a browser sends that
     * {@code OPTIONS} without credentials before a JSON request from an origin given with
     * {@code --cors-origin}; it carries no data and changes nothing, and the request that follows
     * needs the token as any other.
     */
    public void check(Context ctx) {
        if (token == null || ctx.path().equals("/api/health") || isPreflight(ctx)) return;
        String header = ctx.header("Authorization");
        String bearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
        if (matches(bearer) || cookieMatches(ctx) || matches(ctx.queryParam("token"))) {
            if (matches(bearer) && !cookieMatches(ctx)) {
                // a token typed into the page's prompt reaches the event stream this way
                setCookie(ctx, bearer);
            }
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer");
        ctx.skipRemainingHandlers();
        ErrorMapping.refuseAndClose(ctx, new Problem("Unauthorized", 401, header == null
                ? "This server requires its access token: open the address rnn serve printed (it ends in ?token=…),"
                        + " or send the header 'Authorization: Bearer <token>'."
                : "The access token is not valid."));
    }

    private static boolean isPreflight(Context ctx) {
        return ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null;
    }

    /**
     * The cookie holds the token's UTF-8 bytes in hex: a passphrase's spaces, or a ; , " in a token,
     * are not allowed in a cookie value (Jetty refused to send one, and every request failed).
     */
    private static void setCookie(Context ctx, String value) {
        String hex = HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
        // no max-age: a session cookie, gone when the browser closes
        ctx.cookie(new Cookie(cookieName(ctx), hex, "/", -1, false, true, null, SameSite.STRICT));
    }

    private boolean cookieMatches(Context ctx) {
        String hex = ctx.cookie(cookieName(ctx));
        if (hex == null || hex.length() != 2 * token.length) return false;
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(token, given);
    }

    private boolean matches(String given) {
        // constant-time comparison: the time taken does not reveal how much of a guess was right
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }
}
