package dev.rnnplayground.server.http;

import dev.rnnplayground.server.common.Jackson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The cap on connections the server serves at once, kept without making anyone wait. A connection
 * opened while {@code maxServed} others are open is still accepted, but every request on it is
 * answered at once, before the application sees it, with 503 "Busy", {@code Retry-After} and
 * {@code Connection: close}, and its body is never read; only {@code GET /api/health} is served on
 * it, so that a monitor can tell the server is up during a flood. Connections opened before the cap
 * was reached are not touched: a page that was open before a flood keeps its connections and its
 * event stream.
 *
 * <p>Why not stop accepting at the cap, as Jetty's {@code NetworkConnectionLimit} does? Then new
 * connections wait in the system's accept queue, which holds 50 by default; beyond it the system
 * drops them and the client tries again after 1, 3, 7 s. 3,000 event-stream listeners opened at
 * once kept /api/health waiting up to 5 s, and no listener saw an answer within 30 s. On a laptop
 * every client has the address 127.0.0.1 and the same token, so a cap per address or per token
 * cannot tell the page from a script; answering the surplus at once is what keeps the queue empty.
 *
 * <p>It sits in two places: as a {@link Connection.Listener} on the connector ({@link #listener()}),
 * where it sorts each new connection into served or over the cap, and as the outermost handler,
 * where it refuses the requests of those over the cap.
 */
public final class ConnectionCap extends Handler.Wrapper {

    /** The one address served on a connection over the cap. */
    private static final String HEALTH = "/api/health";

    private final int maxServed;
    private final byte[] refusal;
    private final Set<Connection> served = ConcurrentHashMap.newKeySet();
    private final Set<Connection> overCap = ConcurrentHashMap.newKeySet();

    /** @param maxServed connections served at once */
    public ConnectionCap(int maxServed) {
        this.maxServed = maxServed;
        Problem busy = new Problem("Busy", 503, "This server has " + maxServed + " connections open, the most it serves"
                + " at once; try again in a few seconds.");
        this.refusal = Jackson.toString(busy).getBytes(StandardCharsets.UTF_8);
    }

    /** What the connector tells of every connection it opens and closes. */
    public Connection.Listener listener() {
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                takesAPlace(connection);
            }

            @Override
            public void onClosed(Connection connection) {
                served.remove(connection);
                overCap.remove(connection);
            }
        };
    }

    /** Counts {@code connection} as served if there is a place, else marks it as over the cap. */
    private synchronized void takesAPlace(Connection connection) {
        (served.size() < maxServed ? served : overCap).add(connection);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!overCap.contains(request.getConnectionMetaData().getConnection())
                || HEALTH.equals(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        response.setStatus(503);
        HttpFields.Mutable headers = response.getHeaders();
        SecurityHeaders.HEADERS.forEach(headers::put);
        headers.put(HttpHeader.RETRY_AFTER, Integer.toString(ConcurrencyLimit.RETRY_AFTER_SECONDS));
        headers.put(HttpHeader.CONNECTION, "close");
        headers.put(HttpHeader.CONTENT_TYPE, ErrorMapping.PROBLEM_JSON);
        headers.put(HttpHeader.CONTENT_LENGTH, Integer.toString(refusal.length));
        response.write(true, ByteBuffer.wrap(refusal), callback);
        return true;
    }
}
