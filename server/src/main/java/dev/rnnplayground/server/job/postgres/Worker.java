package dev.rnnplayground.server.job.postgres;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * A worker of {@code rnn worker}: db-scheduler polling the job queue in PostgreSQL with one thread,
 * so it trains one job at a time. Its claim on a job is kept alive by a heartbeat; a worker silent
 * for {@code heartbeat × missedHeartbeats} is declared dead by the others, and its job is revived
 * for one of them, which resumes it from its last checkpoint. Whatever the worker writes for a job
 * is fenced by the claim's version ({@link Lease}), so a worker that comes back from a freeze
 * writes nothing over the job another one took.
 */
public final class Worker {

    /**
     * How quickly a dead worker's job moves. Its detection runs every 2 heartbeats and a free
     * worker looks at the queue every {@code poll}, so a job moves {@code deadAfter()} to
     * {@code deadAfter() + 2 × heartbeat + poll} after its worker went silent.
     *
     * @param heartbeat        how often a worker says it is alive
     * @param missedHeartbeats silent heartbeats before a worker is declared dead (db-scheduler refuses fewer than 4)
     * @param poll             how often an idle worker looks for a job
     */
    public record Timing(Duration heartbeat, int missedHeartbeats, Duration poll) {
        /**
         * docs/scale.md "Timeouts": half a minute of silence before a job moves, so a worker whose
         * heartbeat comes late on busy cores keeps its job; at most about 42 s in all, inside the 60 s
         * issue 20 allows.
         */
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(5), 6, Duration.ofSeconds(2));

        /** Silence after which a worker's job is revived for another. */
        public Duration deadAfter() {
            return heartbeat.multipliedBy(missedHeartbeats);
        }
    }

    /** How long a stopping worker waits for its job to checkpoint before it gives up (the job is revived then). */
    private static final Duration SHUTDOWN_WAIT = Duration.ofMinutes(2);

    /** A failure the task could not record (the database did not answer): the job is tried again after this. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final Scheduler scheduler;

    private Worker(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Starts a worker called {@code name} (unique among the workers: db-scheduler's {@code picked_by}). */
    public static Worker start(Database db, String name, Timing timing) {
        Scheduler scheduler = Scheduler.create(db.dataSource(), trainTask(db))
                .schedulerName(new SchedulerName.Fixed(name))
                .threads(1)
                .pollingInterval(timing.poll())
                .heartbeatInterval(timing.heartbeat())
                .missedHeartbeatsLimit(timing.missedHeartbeats())
                .shutdownMaxWait(SHUTDOWN_WAIT)
                .build();
        scheduler.start();
        return new Worker(scheduler);
    }

    /**
     * Stops taking jobs; a job in training checkpoints and goes back to the queue at once (it is
     * not left for the heartbeat timeout to revive). Returns once it has.
     */
    public void stop() {
        scheduler.stop();
    }

    /**
     * The one task: train the job whose id is the queue row's instance. No task data (the spec is in
     * {@code rnn_jobs}), so nothing is ever Java-serialized.
     */
    private static CustomTask<Void> trainTask(Database db) {
        return Tasks.custom(Lease.TASK, Void.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(RETRY_AFTER))
                .execute((instance, context) -> {
                    Lease lease = new Lease(instance.getId(), context.getExecution().version);
                    ClaimedJob.Afterwards afterwards;
                    try {
                        afterwards = new ClaimedJob(db, lease, () -> context.getSchedulerState().isShuttingDown()).run();
                    } catch (SQLException e) {
                        throw new IllegalStateException("job " + lease.jobId() + ": the database did not answer (" + e.getMessage() + ")", e);
                    }
                    return switch (afterwards) {
                        case REMOVE -> new CompletionHandler.OnCompleteRemove<>();
                        case RELEASE -> (complete, operations) -> operations.reschedule(complete, Instant.now());
                        // db-scheduler's own update would be refused too (its version is stale), but logged as an error
                        case LEAVE -> (complete, operations) -> { };
                    };
                });
    }
}
