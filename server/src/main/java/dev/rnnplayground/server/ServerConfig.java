package dev.rnnplayground.server;

import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.job.JobService;
import dev.rnnplayground.server.model.InferenceGate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code rnn serve} can be told, with the defaults of the command line. The sizes and
 * times that bound what a request may cost sit together in {@link Limits}.
 *
 * @param host         address to bind; loopback unless a token is given
 * @param port         TCP port, 0 for any free one
 * @param dataDir      where corpora, jobs and models live; survives restarts
 * @param workers      how many jobs train at once (each uses one core)
 * @param token        access token every API request must carry, or null for none (loopback only)
 * @param corsOrigins  origins allowed to call the API from other pages; empty for none
 * @param allowedHosts host names (besides loopback names and IP literals) the Host header may carry
 * @param limits       what one request may send, queue or compute
 * @param database     {@code postgresql://USER@HOST:PORT/DB} where jobs are queued for {@code rnn worker}s,
 *                     or null to train them in this process (the default)
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        int workers,
        String token,
        List<String> corsOrigins,
        List<String> allowedHosts,
        Limits limits,
        String database) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;

    public ServerConfig {
        corsOrigins = List.copyOf(corsOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        if (token != null && token.isBlank()) token = null;
        if (database != null && database.isBlank()) database = null;
    }

    /**
     * What one request may send, queue or compute.
     *
     * @param maxCorpusBytes     largest corpus upload
     * @param maxDistinctSymbols largest vocabulary of a corpus or an imported model
     * @param maxModelBytes      largest {@code .safetensors} import
     * @param maxJsonBytes       largest JSON request body
     * @param maxQueuedJobs      how many jobs may wait for a worker
     * @param computeMillis      how long one sample, predict, inspect or reach request may compute
     * @param connections        how many connections are served at once (more are refused at once)
     * @param transfers          how many event streams, imports, uploads and downloads run at once
     * @param jobsPerLearner     how many jobs one learner may have queued or running (the teacher has no cap)
     */
    public record Limits(long maxCorpusBytes, int maxDistinctSymbols, long maxModelBytes, long maxJsonBytes,
                         int maxQueuedJobs, long computeMillis, Connections connections, Transfers transfers,
                         int jobsPerLearner) {

        /** The command line's defaults; a model import may hold 20 M parameters (JobLimits) even in F64. */
        public static final Limits DEFAULTS = new Limits(20L * 1024 * 1024, CorpusService.MAX_DISTINCT_SYMBOLS, 256L * 1024 * 1024, 1024 * 1024, 100,
                InferenceGate.COMPUTE_MILLIS, Connections.DEFAULTS, Transfers.DEFAULTS, JobService.Limits.PER_LEARNER);

        Limits withCorpus(long corpusBytes, int distinctSymbols) {
            return new Limits(corpusBytes, distinctSymbols, maxModelBytes, maxJsonBytes, maxQueuedJobs, computeMillis, connections, transfers, jobsPerLearner);
        }

        Limits withModelBytes(long modelBytes) {
            return new Limits(maxCorpusBytes, maxDistinctSymbols, modelBytes, maxJsonBytes, maxQueuedJobs, computeMillis, connections, transfers, jobsPerLearner);
        }

        Limits withQueuedJobs(int queuedJobs) {
            return new Limits(maxCorpusBytes, maxDistinctSymbols, maxModelBytes, maxJsonBytes, queuedJobs, computeMillis, connections, transfers, jobsPerLearner);
        }

        Limits withComputeMillis(long millis) {
            return new Limits(maxCorpusBytes, maxDistinctSymbols, maxModelBytes, maxJsonBytes, maxQueuedJobs, millis, connections, transfers, jobsPerLearner);
        }

        Limits with(Connections c) {
            return new Limits(maxCorpusBytes, maxDistinctSymbols, maxModelBytes, maxJsonBytes, maxQueuedJobs, computeMillis, c, transfers, jobsPerLearner);
        }

        Limits with(Transfers t) {
            return new Limits(maxCorpusBytes, maxDistinctSymbols, maxModelBytes, maxJsonBytes, maxQueuedJobs, computeMillis, connections, t, jobsPerLearner);
        }

        Limits withJobsPerLearner(int jobs) {
            return new Limits(maxCorpusBytes, maxDistinctSymbols, maxModelBytes, maxJsonBytes, maxQueuedJobs, computeMillis, connections, transfers, jobs);
        }
    }

    /**
     * What the connector allows, so that slow, idle or crowding clients cannot hold the server's
     * threads or keep others waiting ({@code http.ConnectorLimits}).
     *
     * @param maxOpen              connections served at once; a new connection beyond them is answered
     *                             503 at once and closed, only /api/health is served on it
     *                             ({@code http.ConnectionCap})
     * @param idleMillis           a request whose body or answer stalls this long is cut off; a
     *                             connection waiting for its next request is closed after 5 s, or
     *                             after this if shorter
     * @param minBodyBytesPerSecond a request body arriving slower than this is cut off (408)
     */
    public record Connections(int maxOpen, long idleMillis, long minBodyBytesPerSecond) {
        /** 200 connections: below Jetty's 250 threads, so a thread is always left for one more request. */
        public static final Connections DEFAULTS = new Connections(200, 30_000, 1024);
    }

    /**
     * How many requests that stream or hold much memory run at once; one more is refused with 503
     * and {@code Retry-After} ({@code http.ConcurrencyLimit}).
     *
     * @param eventStreams open job event streams (each holds a connection while it is open, not a thread)
     * @param imports      model imports (each holds about 3 copies of the model in memory)
     * @param uploads      corpus uploads
     * @param downloads    model downloads (streamed from disk, a 64 KB buffer each)
     */
    public record Transfers(int eventStreams, int imports, int uploads, int downloads) {
        public static final Transfers DEFAULTS = new Transfers(100, 2, 4, 8);
    }

    /** The defaults of {@code rnn serve}, storing data in {@code dataDir}. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, dataDir, 1, null, List.of(), List.of(), Limits.DEFAULTS, null);
    }

    /** {@code ~/.rnn-playground} */
    public static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".rnn-playground");
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, dataDir, workers, token, corsOrigins, allowedHosts, limits, database);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, dataDir, workers, token, corsOrigins, allowedHosts, limits, database);
    }

    public ServerConfig withWorkers(int workers) {
        return new ServerConfig(host, port, dataDir, workers, token, corsOrigins, allowedHosts, limits, database);
    }

    public ServerConfig withToken(String token) {
        return new ServerConfig(host, port, dataDir, workers, token, corsOrigins, allowedHosts, limits, database);
    }

    public ServerConfig withCorsOrigins(List<String> corsOrigins) {
        return new ServerConfig(host, port, dataDir, workers, token, corsOrigins, allowedHosts, limits, database);
    }

    public ServerConfig withAllowedHosts(List<String> allowedHosts) {
        return new ServerConfig(host, port, dataDir, workers, token, corsOrigins, allowedHosts, limits, database);
    }

    /** Jobs queued in this PostgreSQL database for workers, instead of trained here; null for here. */
    public ServerConfig withDatabase(String database) {
        return new ServerConfig(host, port, dataDir, workers, token, corsOrigins, allowedHosts, limits, database);
    }

    public ServerConfig withLimits(Limits limits) {
        return new ServerConfig(host, port, dataDir, workers, token, corsOrigins, allowedHosts, limits, database);
    }

    public ServerConfig withCorpusLimits(long maxCorpusBytes, int maxDistinctSymbols) {
        return withLimits(limits.withCorpus(maxCorpusBytes, maxDistinctSymbols));
    }

    public ServerConfig withMaxModelBytes(long maxModelBytes) {
        return withLimits(limits.withModelBytes(maxModelBytes));
    }

    public ServerConfig withMaxQueuedJobs(int maxQueuedJobs) {
        return withLimits(limits.withQueuedJobs(maxQueuedJobs));
    }

    public ServerConfig withComputeMillis(long computeMillis) {
        return withLimits(limits.withComputeMillis(computeMillis));
    }

    public ServerConfig withJobsPerLearner(int jobsPerLearner) {
        return withLimits(limits.withJobsPerLearner(jobsPerLearner));
    }

    public ServerConfig withConnections(Connections connections) {
        return withLimits(limits.with(connections));
    }

    public ServerConfig withTransfers(Transfers transfers) {
        return withLimits(limits.with(transfers));
    }

    /** Problems that forbid starting, in words for the command line; empty when fine. */
    public List<String> problems() {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        if (port < 0 || port > 65535) out.add("--port must be between 0 and 65535");
        if (workers < 1 || workers > 64) out.add("--workers must be between 1 and 64");
        if (limits.computeMillis() < 1) out.add("--compute-timeout must be above 0");
        if (!isLoopback(host) && token == null) {
            out.add("binding " + host + " makes the server reachable from other machines; keep the access token"
                    + " (do not use --no-token)");
        }
        return out;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
