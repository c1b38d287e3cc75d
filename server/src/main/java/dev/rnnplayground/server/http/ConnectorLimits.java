package dev.rnnplayground.server.http;

import dev.rnnplayground.server.ServerConfig;
import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The connector's own limits, so that clients that connect and then send slowly or nothing cannot
 * hold Jetty's threads: a cap on open connections (Jetty stops accepting beyond it, and closes idle
 * connections after a second while full), an idle timeout, and a minimum rate for request bodies
 * (a body trickling in a byte every few seconds is cut off with 408 instead of holding a thread).
 */
public final class ConnectorLimits {

    /** While the connection cap is reached, an idle connection is closed after this long. */
    static final long IDLE_MILLIS_WHEN_FULL = 1_000;

    private ConnectorLimits() {
    }

    public static void apply(JettyConfig jetty, ServerConfig.Connections limits) {
        jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(limits.idleMillis()));
        jetty.modifyServer(server -> {
            NetworkConnectionLimit cap = new NetworkConnectionLimit(limits.maxOpen(), server);
            cap.setEndPointIdleTimeout(IDLE_MILLIS_WHEN_FULL);
            server.addBean(cap);
            // Javalin adds its connector and handlers when it starts the server: set them up then
            server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector connector : server.getConnectors()) {
                        if (connector instanceof AbstractConnector c) c.setIdleTimeout(limits.idleMillis());
                    }
                    server.insertHandler(new MinimumDataRateHandler(limits.minBodyBytesPerSecond(), 0));
                }
            });
        });
    }
}
