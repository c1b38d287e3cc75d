package probe;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.context.JobContext;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * How long a job waits after the worker training it dies, on each candidate engine: two worker
 * processes share one PostgreSQL database; worker A claims the one job, B waits; A is killed
 * with SIGKILL; the probe times from the kill until B starts the job. Each round runs in a fresh
 * database, so nothing a round leaves behind (a job still claimed by a dead worker) reaches the next.
 * <p>
 * {@code run ENGINE JDBC_URL ROUNDS HEARTBEAT_SECONDS [busy]}: ENGINE is {@code db-scheduler} or {@code jobrunr};
 * db-scheduler declares an execution dead after 4 missed heartbeats (its minimum), JobRunr a server
 * after 4 poll intervals (its default; the poll interval is at least 5 s, so HEARTBEAT_SECONDS
 * is the poll interval there). With {@code busy}, both cores are kept busy meanwhile, as by two trainings.
 */
public final class EngineFailoverProbe {

    public static void main(String[] args) throws Exception {
        if (args[0].equals("worker")) {
            worker(args[1], args[2], args[3], Integer.parseInt(args[4]));
        } else {
            run(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args.length > 5 && args[5].equals("busy"));
        }
    }

    // ---- the orchestrator

    private static void run(String engine, String jdbcUrl, int rounds, int heartbeat, boolean busy) throws Exception {
        List<Thread> load = new ArrayList<>();
        if (busy) {
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                Thread t = new Thread(EngineFailoverProbe::spin);
                t.setDaemon(true);
                t.start();
                load.add(t);
            }
        }
        List<Double> seconds = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String url = freshDatabase(jdbcUrl, "probe_" + engine.replace('-', '_') + "_" + round);
            Worker a = new Worker(engine, url, "A", heartbeat);
            Worker b = null;
            try {
                a.await("ready", Duration.ofSeconds(60));
                enqueue(engine, url);
                a.await("started", Duration.ofSeconds(60));
                b = new Worker(engine, url, "B", heartbeat);
                b.await("ready", Duration.ofSeconds(60));
                Thread.sleep(2000);   // B polls at least once and is registered as alive
                long killedAt = System.nanoTime();
                a.process.destroyForcibly();
                b.await("started", Duration.ofSeconds(180));
                double s = (System.nanoTime() - killedAt) / 1e9;
                seconds.add(s);
                System.out.printf("%s heartbeat %d s%s round %d: B took the job %.1f s after A was killed (%s)%n",
                        engine, heartbeat, busy ? " busy" : "", round, s, b.lineStartingWith("started"));
            } finally {
                a.process.destroyForcibly().waitFor();
                if (b != null) b.process.destroyForcibly().waitFor();
            }
        }
        seconds.sort(null);
        System.out.printf("%s heartbeat %d s%s: failover %s s (min %.1f, median %.1f, max %.1f)%n", engine, heartbeat,
                busy ? " busy" : "", seconds, seconds.get(0), seconds.get(seconds.size() / 2), seconds.get(seconds.size() - 1));
        System.exit(0);
    }

    private static void spin() {
        double x = 0;
        while (true) x += Math.sqrt(x + 1);
    }

    private static String freshDatabase(String jdbcUrl, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        String url = jdbcUrl.replaceFirst("/[^/?]+\\?", "/" + name + "?");
        if (url.equals(jdbcUrl)) throw new IllegalArgumentException("expected jdbc:postgresql://host:port/db?user=…, got " + jdbcUrl);
        return url;
    }

    private static void enqueue(String engine, String url) throws SQLException {
        if (engine.equals("db-scheduler")) {
            SchedulerClient.Builder.create(dataSource(url), trainTask()).build()
                    .schedule(trainTask().instance("job-1"), Instant.now());
        } else {
            // the client side only: storage, no background server
            JobRunr.configure().useStorageProvider(new PostgresStorageProvider(dataSource(url))).initialize();
            BackgroundJob.enqueue(() -> Training.train("job-1", JobContext.Null));
        }
    }

    // ---- a worker process

    private static void worker(String engine, String url, String name, int heartbeat) throws Exception {
        if (engine.equals("db-scheduler")) {
            try (Connection c = dataSource(url).getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS scheduled_tasks (task_name text NOT NULL, task_instance text NOT NULL,"
                        + " task_data bytea, execution_time timestamptz NOT NULL, picked boolean NOT NULL, picked_by text,"
                        + " last_success timestamptz, last_failure timestamptz, consecutive_failures int,"
                        + " last_heartbeat timestamptz, version bigint NOT NULL, priority smallint,"
                        + " PRIMARY KEY (task_name, task_instance))");
            }
            Scheduler.create(dataSource(url), trainTask())
                    .threads(1)
                    .pollingInterval(Duration.ofSeconds(1))
                    .heartbeatInterval(Duration.ofSeconds(heartbeat))
                    .missedHeartbeatsLimit(4)
                    .schedulerName(new SchedulerName.Fixed(name))
                    .build()
                    .start();
        } else {
            JobRunr.configure()
                    .useStorageProvider(new PostgresStorageProvider(dataSource(url)))
                    .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                            .andName(name).andWorkerCount(1).andPollIntervalInSeconds(heartbeat))
                    .initialize();
        }
        System.out.println("ready " + name);
        Thread.sleep(Long.MAX_VALUE);
    }

    static OneTimeTask<Void> trainTask() {
        return Tasks.oneTime("train").execute((instance, context) -> {
            System.out.println("started " + instance.getId() + " lease version " + context.getExecution().version);
            Training.sleepLikeATraining();
        });
    }

    /** What JobRunr runs, found by class and method name. */
    public static final class Training {
        public static void train(String jobId, JobContext context) {
            System.out.println("started " + jobId + " as JobRunr job " + context.getJobId());
            sleepLikeATraining();
        }

        static void sleepLikeATraining() {
            try {
                Thread.sleep(Duration.ofMinutes(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        return ds;
    }

    /** A worker JVM on this probe's classpath, its output collected line by line. */
    private static final class Worker {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Worker(String engine, String url, String name, int heartbeat) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    EngineFailoverProbe.class.getName(), "worker", engine, url, name, Integer.toString(heartbeat))
                    .redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) lines.add(line);
                } catch (IOException ended) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String lineStartingWith(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
        }

        void await(String prefix, Duration deadline) throws InterruptedException {
            long end = System.nanoTime() + deadline.toNanos();
            while (lineStartingWith(prefix) == null) {
                if (System.nanoTime() > end || !process.isAlive()) {
                    throw new IllegalStateException("no '" + prefix + "' line; the worker said:\n" + String.join("\n", lines));
                }
                Thread.sleep(20);
            }
        }
    }
}
