package dev.rnnplayground.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps other web sites from driving the server through the user's browser.
 *
 * <ul>
 *   <li>DNS rebinding: a page of {@code evil.example} can make its own name point at 127.0.0.1;
 *       its requests then reach this server but say {@code Host: evil.example}. So the Host must
 *       be a loopback name, an IP address (a rebinding attack needs a name), or a name given with
 *       {@code --allow-host}.</li>
 *   <li>Cross-site request forgery: a browser sends a form post or a {@code text/plain} fetch to
 *       any address without asking first. So a request that changes something (POST, PUT, PATCH,
 *       DELETE) is refused when it comes from a page of another origin ({@code Origin}) or another
 *       site ({@code Sec-Fetch-Site: cross-site}), unless that origin was allowed with
 *       {@code --cors-origin}. Tools such as curl send neither header and pass.</li>
 * </ul>
 */
public final class CrossSiteGuard {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");
    private static final Set<HandlerType> CHANGING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
            HandlerType.DELETE);

    private final List<String> allowedHosts;
    private final List<String> corsOrigins;

    public CrossSiteGuard(List<String> allowedHosts, List<String> corsOrigins) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.corsOrigins = corsOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }

    public void check(Context ctx) {
        String host = ctx.header("Host");
        if (host != null && !isAllowedHost(hostName(host))) {
            refuse(ctx, "This server answers only to loopback names and IP addresses, not to '" + hostName(host)
                    + "'; start it with --allow-host " + hostName(host) + " to allow that name.");
            return;
        }
        if (!CHANGING.contains(ctx.method())) return;
        String origin = ctx.header("Origin");
        if (origin != null) {
            String own = ctx.scheme() + "://" + (host == null ? "" : host);
            String given = origin.toLowerCase(Locale.ROOT);
            if (!given.equals(own.toLowerCase(Locale.ROOT)) && !corsOrigins.contains(given)) {
                refuse(ctx, "A page of " + origin + " may not change anything on this server;"
                        + " use the page this server serves.");
            }
        } else if ("cross-site".equalsIgnoreCase(ctx.header("Sec-Fetch-Site"))) {
            refuse(ctx, "A page of another site may not change anything on this server; use the page this server serves.");
        }
    }

    /** {@code Host} without its port: {@code localhost:7070} -> {@code localhost}, {@code [::1]:7070} -> {@code [::1]}. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && colon > h.lastIndexOf(']')) h = h.substring(0, colon);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);   // "localhost." is localhost too
        return h;
    }

    boolean isAllowedHost(String name) {
        return name.equals("localhost") || name.endsWith(".localhost") || IPV4.matcher(name).matches()
                || IPV6.matcher(name).matches() || allowedHosts.contains(name) || allowedHosts.contains("*");
    }

    private static void refuse(Context ctx, String detail) {
        ctx.skipRemainingHandlers();
        ErrorMapping.refuseAndClose(ctx, new Problem("Forbidden", 403, detail));
    }
}
