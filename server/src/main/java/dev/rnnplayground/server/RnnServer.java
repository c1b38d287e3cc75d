package dev.rnnplayground.server;

import dev.rnnplayground.server.access.LearnerTokens;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.common.Quarantine;
import dev.rnnplayground.server.corpus.CorpusController;
import dev.rnnplayground.server.experiment.LadderController;
import dev.rnnplayground.server.experiment.LadderService;
import dev.rnnplayground.server.experiment.MemorySpanController;
import dev.rnnplayground.server.experiment.MemorySpanService;
import dev.rnnplayground.server.experiment.ReachController;
import dev.rnnplayground.server.experiment.ReachService;
import dev.rnnplayground.server.experiment.SyntheticController;
import dev.rnnplayground.server.experiment.SyntheticService;
import dev.rnnplayground.server.http.AccessGuard;
import dev.rnnplayground.server.http.CharsetCheck;
import dev.rnnplayground.server.http.ConcurrencyLimit;
import dev.rnnplayground.server.http.ConnectorLimits;
import dev.rnnplayground.server.http.CrossSiteGuard;
import dev.rnnplayground.server.http.ErrorMapping;
import dev.rnnplayground.server.http.JsonErrorHandler;
import dev.rnnplayground.server.http.SecurityHeaders;
import dev.rnnplayground.server.job.EventStreams;
import dev.rnnplayground.server.job.JobController;
import dev.rnnplayground.server.model.ModelController;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.SizeUnit;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.ArrayList;
import java.util.List;
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
        ServerConfig.Transfers most = config.limits().transfers();
        // open streams hold a connection each, not a thread: EventStreams serves them all
        EventStreams eventStreams = new EventStreams(new ConcurrencyLimit(most.eventStreams(), "event streams"));
        CorpusController corpora = new CorpusController(services.corpora());
        JobController jobs = new JobController(services.jobs(), eventStreams);
        ModelController models = new ModelController(services.models(), config.limits().maxModelBytes());
        ReachController reach = new ReachController(new ReachService(services.models(), services.jobs()));
        SyntheticController synthetic = new SyntheticController(new SyntheticService(services.corpora(), services.models()));
        LadderController ladder = new LadderController(new LadderService(services.corpora(), services.models()));
        MemorySpanController memorySpan = new MemorySpanController(new MemorySpanService(services.models()));
        AccessGuard tokens = new AccessGuard(config.token(), new LearnerTokens(config.dataDir()));
        CrossSiteGuard crossSite = new CrossSiteGuard(config.allowedHosts(), config.corsOrigins());
        // a bit more than the corpus limit is let through so that the service, not Jetty, words the refusal
        long multipartLimit = config.limits().maxCorpusBytes() + 64 * 1024;
        long uploadLimit = multipartLimit + 64 * 1024;
        // a refused import or upload is read to its end (up to its limit) so its client reads the 503
        ConcurrencyLimit imports = new ConcurrencyLimit(most.imports(), "model imports", config.limits().maxModelBytes());
        ConcurrencyLimit uploads = new ConcurrencyLimit(most.uploads(), "corpus uploads", uploadLimit);
        ConcurrencyLimit downloads = new ConcurrencyLimit(most.downloads(), "model downloads");

        return Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            c.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            ConnectorLimits.apply(c.jetty, config.limits().connections());
            c.jsonMapper(new JavalinJackson(Jackson.MAPPER, false));
            c.http.maxRequestSize = config.limits().maxJsonBytes();
            c.http.compressionStrategy = compression();
            // uploads up to the corpus limit stay on disk, not in memory
            c.jetty.multipartConfig.maxFileSize(multipartLimit, SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(uploadLimit, SizeUnit.BYTES);
            c.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            // in the data directory, not the system's temp: Services.open empties it, so an upload
            // cut off by a kill leaves nothing behind for longer than until the next start
            c.jetty.multipartConfig.cacheDirectory(Services.uploadsDir(config.dataDir()).toString());

            if (RnnServer.class.getResource("/public") != null) {
                c.staticFiles.add("/public", Location.CLASSPATH);
            }
            c.staticFiles.enableWebjars();
            if (!config.corsOrigins().isEmpty()) {
                c.bundledPlugins.enableCors(cors -> cors.addRule(rule -> config.corsOrigins().forEach(rule::allowHost)));
            }

            c.events.serverStarted(services::start);
            c.events.serverStopping(eventStreams::close);
            c.events.serverStopping(services::stop);

            ErrorMapping.register(c.routes, config.dataDir());
            // in this order: a foreign Host or Origin is refused before anyone looks at the token
            c.routes.before(SecurityHeaders::add);
            c.routes.before(crossSite::check);
            c.routes.before(tokens::rememberTokenFromAddress);
            c.routes.before("/api/*", tokens::check);
            c.routes.before("/api/*", CharsetCheck::check);

            c.routes.get("/api/health", ctx -> ctx.json(Map.of("status", "ok", "version", Version.get())));
            // stored objects a start could not read, moved aside instead of refusing to start: anyone's, so the teacher's to see
            c.routes.get("/api/quarantine", ctx -> {
                AccessGuard.requireTeacher(ctx, "the quarantine");
                ctx.json(Quarantine.list(config.dataDir()));
            });

            c.routes.post("/api/corpora", ctx -> uploads.run(ctx, () -> corpora.create(ctx)));
            c.routes.get("/api/corpora", corpora::list);
            c.routes.get("/api/corpora/{id}", corpora::get);
            c.routes.delete("/api/corpora/{id}", corpora::delete);

            c.routes.get("/api/training/options", jobs::options);
            c.routes.get("/api/sampling/options", models::samplingOptions);
            c.routes.post("/api/jobs", jobs::create);
            c.routes.get("/api/jobs", jobs::list);
            c.routes.get("/api/jobs/{id}", jobs::get);
            c.routes.get("/api/jobs/{id}/history", jobs::history);
            c.routes.post("/api/jobs/{id}/cancel", jobs::cancel);
            c.routes.post("/api/jobs/{id}/resume", jobs::resume);
            // an SSE stream, opened by JobController after it has checked the id and the Accept header
            c.routes.get("/api/jobs/{id}/events", jobs::events);

            c.routes.post("/api/models", ctx -> imports.run(ctx, () -> models.importFile(ctx)));
            c.routes.get("/api/models", models::list);
            c.routes.get("/api/models/{id}", models::get);
            c.routes.delete("/api/models/{id}", models::delete);
            c.routes.get("/api/models/{id}/weights", ctx -> downloads.run(ctx, () -> models.weights(ctx)));
            c.routes.post("/api/models/{id}/sample", models::sample);
            c.routes.post("/api/models/{id}/predict", models::predict);
            c.routes.post("/api/models/{id}/inspect", models::inspect);
            c.routes.post("/api/models/{id}/reach", reach::measure);
            c.routes.post("/api/corpora/synthetic", synthetic::createCorpus);
            c.routes.post("/api/models/{id}/score-task", synthetic::score);
            c.routes.post("/api/experiments/ladder", ladder::run);
            c.routes.post("/api/experiments/memory-span", memorySpan::start);
            c.routes.get("/api/experiments/memory-span", memorySpan::get);
            c.routes.post("/api/experiments/memory-span/cancel", memorySpan::cancel);
        });
    }

    /**
     * Gzip for text, as Javalin does by default, but not for model weights: float32 numbers shrink
     * by 7% while compressing the 7.6 MB default model took 0.3 s of a core on every page load.
     */
    private static CompressionStrategy compression() {
        CompressionStrategy strategy = new CompressionStrategy(null, new Gzip());
        List<String> excluded = new ArrayList<>(strategy.getExcludedMimeTypes());
        excluded.add("application/octet-stream");
        strategy.setExcludedMimeTypes(excluded);
        return strategy;
    }
}
