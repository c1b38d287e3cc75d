package dev.rnnplayground.server.http;

import dev.rnnplayground.server.access.Identity;
import dev.rnnplayground.server.access.LearnerTokens;
import dev.rnnplayground.server.common.ServiceException;
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
 *
 * <p>The server's own token is the teacher's; a learner's token ({@code rnn token add},
 * {@link LearnerTokens}) is taken wherever the teacher's is. Each request that is let in carries
 * who sent it ({@link #identity}); without a token ({@code --no-token}) everyone is the teacher.
 */
public final class AccessGuard {

    private static final String BEARER = "Bearer ";
    /** The request attribute holding the {@link Identity} of a request that was let in. */
    private static final String IDENTITY = "rnn.identity";

    private final byte[] token;
    private final LearnerTokens learners;

    /**
     * @param token    the teacher's access token, or null for none (then only loopback addresses
     *                 are bound and every request is the teacher's)
     * @param learners the learners' tokens
     */
    public AccessGuard(String token, LearnerTokens learners) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.learners = learners;
    }

    /** 24 random bytes in hex, as many as Jupyter's token. */
    public static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Who sent a request {@link #check} let in: what a controller hands the services. */
    public static Identity identity(Context ctx) {
        Identity who = ctx.attribute(IDENTITY);
        // a route reached without the check would be a wiring mistake: refuse rather than guess the teacher
        if (who == null) throw new IllegalStateException("no identity on " + ctx.method() + " " + ctx.path());
        return who;
    }

    /** For what concerns everyone's data at once (the quarantine): a learner is refused with 403. */
    public static void requireTeacher(Context ctx, String what) {
        if (!identity(ctx).isTeacher()) {
            throw new ServiceException(ServiceException.Kind.FORBIDDEN, "Teacher only", "Only the teacher sees " + what + ".");
        }
    }

    /** The cookie's name carries the port: browsers share cookies between ports of one host. */
    static String cookieName(Context ctx) {
        return "rnn-token-" + ctx.req().getLocalPort();
    }

    /** Every request: a right {@code ?token=} sets the cookie, whatever the path. */
    public void rememberTokenFromAddress(Context ctx) {
        if (token == null) return;
        String fromAddress = ctx.queryParam("token");
        if (identify(fromAddress) != null && !fromAddress.equals(cookieToken(ctx))) {
            setCookie(ctx, fromAddress);
        }
    }

    /**
     * Every {@code /api/*} request but health, and but a CORS preflight: a browser sends that
     * {@code OPTIONS} without credentials before a JSON request from an origin given with
     * {@code --cors-origin}; it carries no data and changes nothing, and the request that follows
     * needs the token as any other. The first token that is valid, in the order header, address,
     * cookie, says who the request is from: what a request says itself comes before what the
     * browser remembers.
     */
    public void check(Context ctx) {
        if (token == null) {
            ctx.attribute(IDENTITY, Identity.TEACHER);
            return;
        }
        if (ctx.path().equals("/api/health") || isPreflight(ctx)) return;
        String header = ctx.header("Authorization");
        String bearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
        Identity who = identify(bearer);
        if (who != null) {
            // a token typed into the page's prompt reaches the event stream this way
            if (!bearer.equals(cookieToken(ctx))) setCookie(ctx, bearer);
        } else {
            who = identify(ctx.queryParam("token"));
            if (who == null) who = identify(cookieToken(ctx));
        }
        if (who != null) {
            ctx.attribute(IDENTITY, who);
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer");
        ctx.skipRemainingHandlers();
        ErrorMapping.refuseAndClose(ctx, new Problem("Unauthorized", 401, header == null
                ? "This server requires its access token: open the address rnn serve printed (it ends in ?token=…),"
                        + " or send the header 'Authorization: Bearer <token>'."
                : "The access token is not valid."));
    }

    /** The teacher for the server's own token, a learner for theirs, null for anything else. */
    private Identity identify(String given) {
        if (given == null) return null;
        // constant-time comparison: the time taken does not reveal how much of a guess was right
        if (MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) return Identity.TEACHER;
        return learners.learnerOf(given).map(Identity::ofLearner).orElse(null);
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

    /** The token the cookie holds, or null when there is none or it is not hex. */
    private static String cookieToken(Context ctx) {
        String hex = ctx.cookie(cookieName(ctx));
        if (hex == null) return null;
        try {
            return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }
}
