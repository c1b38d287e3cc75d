package dev.rnnplayground.server;

import dev.rnnplayground.server.common.Json;
import dev.rnnplayground.server.corpus.CorpusController;
import dev.rnnplayground.server.http.AccessGuard;
import dev.rnnplayground.server.http.ErrorMapping;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.Map;

/**
 * Builds the Javalin application: the API under {@code /api}, the browser UI from the classpath
 * folder {@code public/} at {@code /}, and Chart.js as a webjar. The factory does not start the
 * server; {@code rnn serve} does, and tests wrap the app in {@code JavalinTest.test(...)}. Job
 * workers start and stop with the server.
 */
public final class RnnServer {

    private RnnServer() {
    }

    public static Javalin create(ServerConfig config, Services services) {
        CorpusController corpora = new CorpusController(services.corpora());
        AccessGuard guard = new AccessGuard(config.token());

        return Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            c.http.maxRequestSize = config.maxJsonBytes();
            // uploads up to the corpus limit stay on disk, not in memory; a bit more than the
            // limit is let through so that the service, not Jetty, words the refusal
            long multipartLimit = config.maxCorpusBytes() + 64 * 1024;
            c.jetty.multipartConfig.maxFileSize(multipartLimit, SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(multipartLimit + 64 * 1024, SizeUnit.BYTES);
            c.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);

            if (RnnServer.class.getResource("/public") != null) {
                c.staticFiles.add("/public", Location.CLASSPATH);
            }
            c.staticFiles.enableWebjars();
            if (!config.corsOrigins().isEmpty()) {
                c.bundledPlugins.enableCors(cors -> cors.addRule(rule -> config.corsOrigins().forEach(rule::allowHost)));
            }

            c.events.serverStarted(services::start);
            c.events.serverStopping(services::stop);

            ErrorMapping.register(c.routes);
            c.routes.before("/api/*", guard::check);

            c.routes.get("/api/health", ctx -> ctx.json(Map.of("status", "ok", "version", Version.get())));

            c.routes.post("/api/corpora", corpora::create);
            c.routes.get("/api/corpora", corpora::list);
            c.routes.get("/api/corpora/{id}", corpora::get);
            c.routes.delete("/api/corpora/{id}", corpora::delete);
        });
    }
}
