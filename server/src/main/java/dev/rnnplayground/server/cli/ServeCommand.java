package dev.rnnplayground.server.cli;

import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.job.postgres.Database;
import dev.rnnplayground.server.job.JobService;
import io.javalin.Javalin;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn serve}: the training server and the browser UI. Runs until stopped (Ctrl-C). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the web server: upload texts, train models and watch them learn in the browser.")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}). A non-loopback address needs the token.")
    String host;

    @Option(names = "--port", defaultValue = "7070", description = "TCP port, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", description = "Data directory for corpora, jobs and models (default: ~/.rnn-playground).")
    Path data;

    @Option(names = "--workers", defaultValue = "1", description = "Jobs that train at the same time (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--token-file", description = "Read the access token from this file (first line)."
            + " Without it the token comes from the RNN_TOKEN environment variable, else the one kept in the data directory"
            + " by an earlier start, else a new random one (kept there for the next start)."
            + " Never on the command line itself, where ps would show it.")
    Path tokenFile;

    @Option(names = "--no-token", description = "No access token: anyone who can reach the server uses it."
            + " Only on a loopback address.")
    boolean noToken;

    @Option(names = "--new-token", description = "Make a new random token even if the data directory keeps one from an"
            + " earlier start (it then replaces the kept one, so old links stop working).")
    boolean newToken;

    @Option(names = "--allow-host", description = "Also answer requests addressed to this host name"
            + " (besides localhost and IP addresses), e.g. my-laptop.local (repeatable; * for any).")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--cors-origin", description = "Allow API calls from pages of this origin, e.g. https://example.org (repeatable).")
    List<String> corsOrigins = new ArrayList<>();

    @Option(names = "--max-corpus-mb", defaultValue = "20", description = "Largest corpus upload in MB (default: ${DEFAULT-VALUE}).")
    int maxCorpusMb;

    @Option(names = "--max-symbols", defaultValue = "" + CorpusService.MAX_DISTINCT_SYMBOLS,
            description = "Most distinct symbols in a corpus or an imported model (default: ${DEFAULT-VALUE}).")
    int maxSymbols;

    @Option(names = "--max-queued", defaultValue = "100", description = "Most jobs waiting for a worker (default: ${DEFAULT-VALUE}).")
    int maxQueued;

    @Option(names = "--database", paramLabel = "URL", description = "Queue jobs in this PostgreSQL database,"
            + " postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE, for `rnn worker`s to train, instead of training them"
            + " here. The page and the API stay the same. Give the password in ~/.pgpass rather than here, where ps shows it.")
    String database;

    @Option(names = "--max-jobs-per-learner", defaultValue = "" + JobService.Limits.PER_LEARNER,
            description = "Most jobs one learner (a token made with rnn token add) may have queued or running;"
                    + " the teacher has no cap (default: ${DEFAULT-VALUE}).")
    int maxJobsPerLearner;

    @Option(names = "--compute-timeout", defaultValue = "30", description = "Seconds one sample, predict, inspect or reach"
            + " request may compute before it is stopped with a 503 (default: ${DEFAULT-VALUE}).")
    double computeTimeout;

    /**
     * Why nothing can be written in {@code dir}, or null when a file can be: a server that could
     * only answer reads with 500s should not start at all.
     */
    static String unwritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".tmp-write-check-", "");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getClass().getSimpleName();
            return reason;
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Path dataDir = data != null ? data : ServerConfig.defaultDataDir();
        String token = noToken ? null
                : AccessToken.choose(tokenFile, System.getenv("RNN_TOKEN"), dataDir, newToken, spec.commandLine().getErr());
        ServerConfig config = ServerConfig.defaults(dataDir)
                .withHost(host)
                .withPort(port)
                .withWorkers(workers)
                .withToken(token)
                .withCorsOrigins(corsOrigins)
                .withAllowedHosts(allowedHosts)
                .withCorpusLimits(maxCorpusMb * 1024L * 1024L, maxSymbols)
                .withMaxQueuedJobs(maxQueued)
                .withJobsPerLearner(maxJobsPerLearner)
                .withComputeMillis(Math.round(computeTimeout * 1000))
                .withDatabase(database);
        List<String> problems = new ArrayList<>(config.problems());
        if (maxCorpusMb < 1) problems.add("--max-corpus-mb must be at least 1");
        if (maxSymbols < 2) problems.add("--max-symbols must be at least 2");
        if (noToken && tokenFile != null) problems.add("give --token-file or --no-token, not both");
        if (newToken && (noToken || tokenFile != null)) problems.add("--new-token makes a random token; give it without --token-file and --no-token");
        if (maxQueued < 1) problems.add("--max-queued must be at least 1");
        if (maxJobsPerLearner < 1) problems.add("--max-jobs-per-learner must be at least 1");
        if (!problems.isEmpty()) {
            problems.forEach(p -> spec.commandLine().getErr().println("rnn serve: " + p));
            return 2;
        }

        String unwritable = unwritable(config.dataDir());
        if (unwritable != null) {
            spec.commandLine().getErr().println("rnn serve: cannot write to the data directory "
                    + config.dataDir().toAbsolutePath() + " (" + unwritable + "); make it writable or give another with --data");
            return 1;
        }
        Services services;
        try {
            services = Services.open(config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a malformed --database URL, or a database that cannot be reached or read
            spec.commandLine().getErr().println("rnn serve: " + e.getMessage());
            return 1;
        }
        Javalin app = RnnServer.create(config, services);
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "rnn-shutdown"));
        app.start(config.host(), config.port());

        String shownHost = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        String query = config.token() == null ? "" : "?token=" + URLEncoder.encode(config.token(), StandardCharsets.UTF_8);
        System.out.println("RNN Playground is running: open http://" + shownHost + ":" + app.port() + "/" + query);
        System.out.println("Data directory: " + config.dataDir().toAbsolutePath());
        if (config.database() != null) System.out.println("Jobs are queued for workers in " + Database.withoutPassword(config.database()));
        System.out.flush();
        services.awaitStopped();
        return 0;
    }
}
