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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker training one claimed job with the loop every job uses ({@link TrainingLoop}): it resumes
 * from the job's last checkpoint in PostgreSQL (cutting its events back to that step), reports
 * progress and samples as events, and writes checkpoints, every write fenced by its {@link Lease}.
 * Once a write finds the lease lost (another worker took the job while this one was frozen or cut
 * off), it stops at once and writes nothing more. Storing the final model is the caller's.
 */
public final class WorkerTraining implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerTraining.class);

    /** How the run ended; the trainer holds the model when it {@code FINISHED}. */
    public record Result(TrainingLoop.Outcome outcome, boolean leaseLost, Trainer trainer) {
    }

    private final Lease lease;
    private final Checkpoints checkpoints;
    private final Events events;
    private volatile boolean leaseLost;

    public WorkerTraining(Lease lease, Database db) {
        this.lease = lease;
        this.checkpoints = new Checkpoints(db);
        this.events = new Events(db);
    }

    /** Trains the job to its end, or until the lease is lost; the thread count is the spec's, so the bytes do not depend on the worker. */
    public Result run(TrainConfig config, String text, TrainingEngine.Factory engines) throws SQLException {
        Optional<Checkpoints.Stored> checkpoint = checkpoints.read(lease.jobId());
        Trainer trainer = checkpoint.isPresent() ? Checkpoint.resume(checkpoint.get().bytes(), text, engines)
                : new Trainer(config, text, null, engines);
        events.truncateAfter(lease, trainer.stepsDone());
        if (trainer.stepsDone() > 0) LOG.info("job {} resumes from step {}", lease.jobId(), trainer.stepsDone());
        TrainingLoop.Outcome outcome = new TrainingLoop(trainer, 0, Double.POSITIVE_INFINITY, this).run();
        return new Result(outcome, leaseLost, trainer);
    }

    /** Ends the loop at once, without a checkpoint, once this worker no longer holds the job. */
    @Override
    public boolean cancelRequested() {
        return leaseLost;
    }

    @Override
    public void onProgress(Progress p) {
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
    public void onFinish(Summary summary) {
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
