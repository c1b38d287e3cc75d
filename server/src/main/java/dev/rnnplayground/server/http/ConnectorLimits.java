package dev.rnnplayground.server.http;

import dev.rnnplayground.server.ServerConfig;
import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The connector's own limits, so that clients that connect and then send slowly or nothing, or
 * open thousands of connections at once, can neither hold Jetty's threads nor keep others waiting:
 * a cap on connections served at once, beyond which a new connection is answered 503 at once and
 * closed ({@link ConnectionCap}; only /api/health is served on it); a ceiling further up where
 * Jetty stops accepting, so that connections being refused cannot use up the process's file
 * descriptors; an accept queue that holds a burst of new connections for a moment instead of the
 * system dropping them; idle timeouts; and a minimum rate for request bodies (a body trickling in a
 * byte every few seconds is cut off with 408 instead of holding a thread).
 */
public final class ConnectorLimits {

    /**
     * How many connections over the cap may be open at once (each lives until its 503 is written,
     * or for KEEP_ALIVE_MILLIS if it sends nothing); beyond the cap plus these, Jetty stops accepting.
     */
    static final int OVER_CAP_AT_MOST = 4_000;
    /** New connections the system holds for the acceptor (its default is 50; Linux caps it at net.core.somaxconn). */
    static final int ACCEPT_QUEUE = 1_024;
    /**
     * A connection waiting for its first or next request is closed after this long (or the
     * configured idle time, if shorter), so that an idle client gives its place back soon; a request
     * in progress, such as an event stream, keeps the configured idle time. Not shorter: on a machine
     * whose cores are taken, a connection over the cap may wait seconds before its request is read
     * (with 1 s, 365 of 3,000 event-stream listeners were closed unanswered under a load of 13).
     */
    static final long KEEP_ALIVE_MILLIS = 5_000;

    private ConnectorLimits() {
    }

    public static void apply(JettyConfig jetty, ServerConfig.Connections limits) {
        // Jetty sets this on a connection while it serves a request, and puts the connector's back after
        jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(limits.idleMillis()));
        jetty.modifyServer(server -> {
            ConnectionCap cap = new ConnectionCap(limits.maxOpen());
            server.addBean(new NetworkConnectionLimit(limits.maxOpen() + OVER_CAP_AT_MOST, server));
            // Javalin adds its connector and handlers when it starts the server: set them up then
            server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector connector : server.getConnectors()) {
                        if (connector instanceof AbstractConnector c) {
                            c.setIdleTimeout(Math.min(limits.idleMillis(), KEEP_ALIVE_MILLIS));
                            c.addBean(cap.listener());
                        }
                        if (connector instanceof ServerConnector s) s.setAcceptQueueSize(ACCEPT_QUEUE);
                    }
                    server.insertHandler(new MinimumDataRateHandler(limits.minBodyBytesPerSecond(), 0));
                    server.insertHandler(cap);   // outermost: a refusal costs no other handler's work
                }
            });
        });
    }
}
