package dev.rnnplayground.server.cli;

import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.job.postgres.Database;
import dev.rnnplayground.server.job.postgres.Worker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn worker}: trains the jobs {@code rnn serve --database} queues, one at a time, on this
 * machine; no HTTP port. Runs until stopped (Ctrl-C, SIGTERM), which checkpoints the job in
 * training and gives it back to the queue.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Train the jobs a web node (rnn serve --database) queues in PostgreSQL, one at a time.")
public final class WorkerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--database", required = true, paramLabel = "URL",
            description = "The queue: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE, the one rnn serve --database uses.")
    String database;

    @Option(names = "--data", paramLabel = "DIR", description = "Scratch directory of this worker; nothing shared lives there (default: ~/.rnn-playground).")
    Path data;

    @Option(names = "--name", paramLabel = "NAME", description = "This worker's name in the queue, unique among the workers (default: HOST-PID).")
    String name;

    @Option(names = "--heartbeat", defaultValue = "5", paramLabel = "SECONDS",
            description = "How often this worker tells the queue it is alive (default: ${DEFAULT-VALUE}).")
    double heartbeatSeconds;

    @Option(names = "--missed-heartbeats", defaultValue = "6", paramLabel = "N",
            description = "Silent heartbeats after which a worker's job is given to another, at least 4 (default: ${DEFAULT-VALUE}).")
    int missedHeartbeats;

    @Option(names = "--poll", defaultValue = "2", paramLabel = "SECONDS",
            description = "How often an idle worker looks for a job (default: ${DEFAULT-VALUE}).")
    double pollSeconds;

    @Override
    public Integer call() throws InterruptedException {
        List<String> problems = new ArrayList<>();
        if (!(heartbeatSeconds >= 0.1)) problems.add("--heartbeat must be at least 0.1 seconds");
        if (missedHeartbeats < 4) problems.add("--missed-heartbeats must be at least 4");
        if (!(pollSeconds >= 0.1)) problems.add("--poll must be at least 0.1 seconds");
        if (!problems.isEmpty()) {
            problems.forEach(p -> spec.commandLine().getErr().println("rnn worker: " + p));
            return 2;
        }
        Path dataDir = data != null ? data : ServerConfig.defaultDataDir();
        String unwritable = ServeCommand.unwritable(dataDir);
        if (unwritable != null) {
            throw new UserError("cannot write to the data directory " + dataDir.toAbsolutePath() + " (" + unwritable
                    + "); make it writable or give another with --data");
        }
        Database db;
        try {
            db = Database.open(database);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (SQLException | RuntimeException e) {
            throw new UserError("cannot open the database: " + e.getMessage());
        }
        Worker.Timing timing = new Worker.Timing(millis(heartbeatSeconds), missedHeartbeats, millis(pollSeconds));
        String workerName = name != null ? name : defaultName();
        Worker worker = Worker.start(db, workerName, timing);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.stop();   // a job in training checkpoints and goes back to the queue
            db.close();
            stopped.countDown();
        }, "rnn-worker-shutdown"));
        System.out.println("rnn worker " + workerName + " is waiting for jobs in " + db + " (heartbeat every "
                + heartbeatSeconds + " s; a worker silent for " + timing.deadAfter().toMillis() / 1000.0 + " s loses its job)");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static Duration millis(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** HOST-PID: two workers on one machine differ by their process id. */
    private static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
