package dev.rnnplayground.server;

import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.job.JobService;
import dev.rnnplayground.server.job.postgres.Database;
import dev.rnnplayground.server.model.DefaultModel;
import dev.rnnplayground.server.model.InferenceGate;
import dev.rnnplayground.server.model.ModelService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The services behind the API, opened on one data directory. They know nothing about HTTP; the
 * {@link RnnServer} factory wires them to routes.
 */
public final class Services {

    /** A running job checkpoints at least this often, so a kill loses at most this much training. */
    public static final double CHECKPOINT_SECONDS = 10;
    /** How long a request waits for a connection to the job database before it is answered 503. */
    static final int DATABASE_WAIT_SECONDS = 2;

    private final CorpusService corpora;
    private final ModelService models;
    private final JobService jobs;
    /** The job database with {@code --database}, else null. */
    private final Database database;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Services(CorpusService corpora, ModelService models, JobService jobs, Database database) {
        this.corpora = corpora;
        this.models = models;
        this.jobs = jobs;
        this.database = database;
    }

    /** Opens (creating if needed) the data directory of {@code config}. Starts no threads. */
    public static Services open(ServerConfig config) {
        return open(config, DefaultModel::fromClasspath, true);
    }

    /**
     * As {@link #open(ServerConfig)}, with the default model taken from {@code defaultModel}
     * (which returns null for none) instead of the classpath, and no companion models.
     */
    public static Services open(ServerConfig config, Supplier<byte[]> defaultModel) {
        return open(config, defaultModel, false);
    }

    /** Where Jetty keeps multipart uploads while they arrive; emptied at every start. */
    public static Path uploadsDir(Path dataDir) {
        return dataDir.resolve("uploads");
    }

    private static Services open(ServerConfig config, Supplier<byte[]> defaultModel, boolean withCompanions) {
        // the database first: a server that cannot reach it should say so before anything else is done
        Database db = config.database() == null ? null : openDatabase(config.database());
        try {
            Path uploads = uploadsDir(config.dataDir());
            AtomicFiles.deleteRecursively(uploads);
            try {
                Files.createDirectories(uploads);
                ownerOnly(config.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + uploads, e);
            }
            CorpusService corpora = new CorpusService(config.dataDir(),
                    new CorpusService.Limits(config.limits().maxCorpusBytes(), config.limits().maxDistinctSymbols()));
            ModelService models = new ModelService(config.dataDir(), config.limits().maxModelBytes(),
                    config.limits().maxDistinctSymbols(), InferenceGate.forWorkers(config.workers(), config.limits().computeMillis()));
            // companions first, so that the default model is the newest and the page starts with it
            if (withCompanions) DefaultModel.seedCompanionsOnce(config.dataDir(), models);
            DefaultModel.seedOnce(config.dataDir(), models, defaultModel);
            JobService.Limits limits = new JobService.Limits(config.workers(), config.limits().maxQueuedJobs(), CHECKPOINT_SECONDS,
                    config.limits().jobsPerLearner());
            JobService jobs = db == null ? new JobService(config.dataDir(), corpora, models, limits)
                    : new JobService(db, corpora, models, limits);
            return new Services(corpora, models, jobs, db);
        } catch (RuntimeException e) {
            if (db != null) db.close();
            throw e;
        }
    }

    /**
     * The job database of {@code rnn serve --database}. A request waits at most
     * {@value #DATABASE_WAIT_SECONDS} s for a connection: while the database is down the job
     * routes answer 503 within that, instead of hanging for HikariCP's default 30 s.
     */
    private static Database openDatabase(String url) {
        try {
            return Database.open(url, Duration.ofSeconds(DATABASE_WAIT_SECONDS));
        } catch (SQLException | RuntimeException e) {   // HikariCP says "unreachable" with a RuntimeException of its own
            throw new IllegalStateException("cannot open the job database " + Database.withoutPassword(url) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Closes the data directory to other users of the machine (0700, as Jupyter keeps its runtime
     * directory): the corpora and models in it are the learner's. Done at every start, so a
     * directory made by an earlier version is closed too. Skipped where permissions are not POSIX.
     */
    static void ownerOnly(Path dataDir) {
        try {
            if (!Files.getFileStore(dataDir).supportsFileAttributeView(PosixFileAttributeView.class)) return;
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {   // e.g. a shared directory another user owns: serve, and say so
            LoggerFactory.getLogger(Services.class).warn("could not make {} readable by its owner only: {}", dataDir, e.toString());
        }
    }

    public CorpusService corpora() {
        return corpora;
    }

    public ModelService models() {
        return models;
    }

    public JobService jobs() {
        return jobs;
    }

    /** Starts the job workers and resumes unfinished jobs. */
    public void start() {
        jobs.start();
    }

    /** Stops the job workers, checkpointing running jobs so they resume on the next start. */
    public void stop() {
        jobs.stop();
        if (database != null) database.close();
        stopped.countDown();
    }

    /** Blocks until {@link #stop()} has run. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }
}
