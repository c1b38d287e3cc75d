package dev.rnnplayground.server.job.postgres;

import dev.rnnplayground.core.train.Checkpoint;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.train.TrainingEngine;
import dev.rnnplayground.server.job.ProgressPoint;
import dev.rnnplayground.server.training.TrainingListener;
import dev.rnnplayground.server.training.TrainingLoop;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker training one claimed job with the loop every job uses ({@link TrainingLoop}): it resumes
 * from the job's last checkpoint in PostgreSQL (cutting its events back to that step), reports
 * progress and samples as events, and writes checkpoints, every write fenced by its {@link Lease}.
 * Once a write finds the lease lost (another worker took the job while this one was frozen or cut
 * off), it stops at once and writes nothing more. It also stops when the job is cancelled (at
 * once) or the worker is stopping (after a checkpoint). Storing the final model is the caller's
 * ({@link ClaimedJob}).
 */
public final class WorkerTraining implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerTraining.class);

    /**
     * How the run ended. The trainer holds the weights it reached; the summary is the loop's when it
     * {@code FINISHED}, else null; the last progress point is null when none was reported.
     */
    public record Result(TrainingLoop.Outcome outcome, boolean leaseLost, Trainer trainer, Summary summary, Progress lastProgress) {
    }

    private final Lease lease;
    private final Checkpoints checkpoints;
    private final Events events;
    private final BooleanSupplier cancelled;
    private final BooleanSupplier stopping;
    private volatile boolean leaseLost;
    private volatile Summary summary;
    private volatile Progress lastProgress;

    public WorkerTraining(Lease lease, Database db) {
        this(lease, db, () -> false, () -> false);
    }

    /**
     * @param cancelled asked before every step: the job was cancelled (stop now, keep the weights)
     * @param stopping  asked before every step: the worker is shutting down (checkpoint, then stop)
     */
    public WorkerTraining(Lease lease, Database db, BooleanSupplier cancelled, BooleanSupplier stopping) {
        this.lease = lease;
        this.checkpoints = new Checkpoints(db);
        this.events = new Events(db);
        this.cancelled = cancelled;
        this.stopping = stopping;
    }

    /** Trains the job to its end, or until the lease is lost; the thread count is the spec's, so the bytes do not depend on the worker. */
    public Result run(TrainConfig config, String text, TrainingEngine.Factory engines) throws SQLException {
        Optional<Checkpoints.Stored> checkpoint = checkpoints.read(lease.jobId());
        Trainer trainer = checkpoint.isPresent() ? Checkpoint.resume(checkpoint.get().bytes(), text, engines)
                : new Trainer(config, text, null, engines);
        events.truncateAfter(lease, trainer.stepsDone());
        if (trainer.stepsDone() > 0) LOG.info("job {} resumes from step {}", lease.jobId(), trainer.stepsDone());
        TrainingLoop.Outcome outcome = new TrainingLoop(trainer, 0, Double.POSITIVE_INFINITY, this).run();
        return new Result(outcome, leaseLost, trainer, summary, lastProgress);
    }

    /** The last progress point reported, or null before the first: the step a failure is reported at. */
    public Progress lastProgress() {
        return lastProgress;
    }

    /** Ends the loop at once, without a checkpoint, once this worker no longer holds the job or it was cancelled. */
    @Override
    public boolean cancelRequested() {
        return leaseLost || cancelled.getAsBoolean();
    }

    @Override
    public boolean stopRequested() {
        return stopping.getAsBoolean();
    }

    @Override
    public void onProgress(Progress p) {
        lastProgress = p;
        write(() -> events.append(lease, "progress", ProgressPoint.of(p)));
    }

    @Override
    public void onSample(long step, String text) {
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("step", step);
        sample.put("text", text);
        write(() -> events.append(lease, "sample", sample));
    }

    @Override
    public void onCheckpoint(Trainer t, double trainingSeconds) {
        long step = t.stepsDone();
        write(() -> checkpoints.save(lease, step, Checkpoint.write(t)));
    }

    @Override
    public void onFinish(Summary s) {
        summary = s;
    }

    /** Cancelled by the learner (not a lost lease: then nothing is kept): how the run stands, for the model it keeps. */
    @Override
    public void onCancel(Summary s) {
        if (!leaseLost) summary = s;
    }

    private interface Write {
        void run() throws SQLException;
    }

    private void write(Write w) {
        if (leaseLost) return;
        try {
            w.run();
        } catch (LeaseLostException e) {
            LOG.warn("{}; this worker stops training it", e.getMessage());
            leaseLost = true;
        } catch (SQLException e) {
            // a lost database: the job is revived elsewhere once the heartbeats stop, so stop here too
            LOG.warn("job {}: the database refused a write ({}); this worker stops training it", lease.jobId(), e.getMessage());
            leaseLost = true;
        }
    }
}
