package dev.rnnplayground.server.job.postgres;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.train.TrainingEngine;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.job.Job;
import dev.rnnplayground.server.job.JobStatus;
import dev.rnnplayground.server.job.TrainingFailure;
import dev.rnnplayground.server.job.JobModel;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.training.TrainingListener;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code rnn worker} does with one job it claimed: reads the job and its corpus, marks it
 * running, trains it ({@link WorkerTraining}, resuming from its checkpoint), and ends it in one
 * fenced transaction: the model, the status and the last event, the same event {@code JobRunner}
 * writes on one machine, so the web node's stream cannot tell who trained.
 */
final class ClaimedJob {

    /** What the queue should do with the job afterwards. */
    enum Afterwards {
        /** It ended (done, failed or cancelled): remove it from the queue. */
        REMOVE,
        /** The worker is stopping: put it back in the queue at once, for another worker to resume. */
        RELEASE,
        /** Another worker holds it now: touch nothing. */
        LEAVE
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClaimedJob.class);

    /**
     * Threads a job trains with on every worker: the embedded default's count on a machine with two
     * cores or more ({@link Engines#DEFAULT_THREADS}). The fast engine splits each batch across its
     * threads, so the count changes the last bits of a sum: fixed, a job's bytes do not depend on
     * the worker that trains it.
     */
    static final int TRAINING_THREADS = 2;

    /** How often, at most, the training asks the database whether the job was cancelled. */
    private static final long CANCEL_CHECK_NANOS = 500_000_000L;

    private final Database db;
    private final Lease lease;
    private final BooleanSupplier stopping;
    private final JobRecords records;

    /**
     * @param stopping true once the worker is shutting down
     */
    ClaimedJob(Database db, Lease lease, BooleanSupplier stopping) {
        this.db = db;
        this.lease = lease;
        this.stopping = stopping;
        this.records = new JobRecords(db);
    }

    /**
     * Trains the job to its end, or until the worker stops or loses the job.
     *
     * @throws SQLException when the database cannot be read (the queue tries the job again later)
     */
    Afterwards run() throws SQLException {
        String id = lease.jobId();
        Optional<JobRecords.Claimed> found;
        try {
            found = records.read(id);
        } catch (IOException e) {
            return end(new JobRecords.Ending(JobStatus.FAILED, null, null, failedEvent(0, "the job's record cannot be read ("
                    + e.getMessage() + ")"), false), "failed: its record cannot be read");
        }
        if (found.isEmpty()) {
            LOG.warn("job {} has no row in rnn_jobs; dropped from the queue", id);
            return Afterwards.REMOVE;
        }
        JobRecords.Claimed claimed = found.get();
        if (claimed.status().isFinished()) {
            // ended by an earlier claim that stopped before the queue row was removed
            LOG.info("job {} is already {}; dropped from the queue", id, claimed.status().id());
            return Afterwards.REMOVE;
        }
        try {
            records.setStatus(lease, JobStatus.RUNNING);
            LOG.info("claimed job {} '{}' (lease version {})", id, claimed.job().name(), lease.version());
            return train(claimed);
        } catch (LeaseLostException e) {
            LOG.warn("{}; this worker stops training it", e.getMessage());
            return Afterwards.LEAVE;
        }
    }

    private Afterwards train(JobRecords.Claimed claimed) throws SQLException {
        Job job = claimed.job();
        if (claimed.corpusText() == null) {
            return end(new JobRecords.Ending(JobStatus.FAILED, null, null,
                    failedEvent(0, "the job's corpus " + job.spec().corpusId() + " is not in the database"), false), "failed: no corpus");
        }
        WorkerTraining training = new WorkerTraining(lease, db, cancelCheck(), stopping);
        WorkerTraining.Result result;
        try {
            TrainingEngine.Factory engines = Engines.factory(Engines.Choice.FAST, TRAINING_THREADS);
            result = training.run(job.spec().toConfig(), claimed.corpusText(), engines);
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!TrainingFailure.expected(e)) LOG.error("job {} failed", job.id(), e);
            long step = training.lastProgress() == null ? 0 : training.lastProgress().step();
            String reason = TrainingFailure.reason(e, "the worker", "the worker's log");
            return end(new JobRecords.Ending(JobStatus.FAILED, null, null, failedEvent(step, reason), false), "failed: " + reason);
        }
        if (result.leaseLost()) return Afterwards.LEAVE;   // WorkerTraining said so in the log
        Trainer trainer = result.trainer();
        return switch (result.outcome()) {
            case FINISHED -> keepModel(job, JobStatus.DONE, trainer, result.summary());
            case CANCELLED -> trainer.stepsDone() == 0
                    ? end(new JobRecords.Ending(JobStatus.CANCELLED, null, null, JobModel.endEvent(0, null), false), "cancelled before its first step")
                    // the loop's summary at the cancel (WorkerTraining.onCancel): set unless the lease was lost, handled above
                    : keepModel(job, JobStatus.CANCELLED, trainer, result.summary());
            case STOPPED -> {
                records.setStatus(lease, JobStatus.QUEUED);
                LOG.info("job {} stopped at step {}; back in the queue for another worker to resume", job.id(), trainer.stepsDone());
                yield Afterwards.RELEASE;
            }
        };
    }

    /**
     * Stores the weights as the job's model: the same file {@code ModelService.addTrained} writes on
     * one machine (F32, the notes {@link JobModel} gives, made "by the server": the learner's server,
     * whichever machine trained), so a job's bytes are the same in both modes. A cancelled job keeps
     * what it trained, and its checkpoint, to resume from.
     */
    private Afterwards keepModel(Job job, JobStatus status, Trainer trainer, TrainingListener.Summary s) throws SQLException {
        ModelInfo.Training kept = JobModel.of(job, trainer, s);   // the rule one machine follows too
        byte[] model = ModelFile.write(trainer.model(), DType.F32, kept.notes());
        String modelId = Ids.newId(Ids.Kind.MODEL);
        Map<String, Object> event = JobModel.endEvent(s.steps(), modelId, kept.trainLoss(), kept.valLoss(), kept.trainingSeconds());
        return end(new JobRecords.Ending(status, model, modelId, event, status == JobStatus.CANCELLED),
                status.id() + " at step " + s.steps() + ", model " + modelId);
    }

    private Afterwards end(JobRecords.Ending ending, String what) throws SQLException {
        try {
            records.end(lease, ending);
        } catch (LeaseLostException e) {
            LOG.warn("{}; this worker stops training it", e.getMessage());
            return Afterwards.LEAVE;
        }
        LOG.info("job {} {}", lease.jobId(), what);
        return Afterwards.REMOVE;
    }

    private static Map<String, Object> failedEvent(long step, String reason) {
        Map<String, Object> data = JobModel.endEvent(step, null);
        data.put("reason", reason);
        return data;
    }

    /**
     * Whether the learner cancelled the job, asked before every step but read from the database at
     * most every half second; a database that does not answer cancels nothing (the fence stops a
     * worker that lost it).
     */
    private BooleanSupplier cancelCheck() {
        long[] lastAsked = {System.nanoTime()};
        boolean[] cancelled = {false};
        return () -> {
            if (!cancelled[0] && System.nanoTime() - lastAsked[0] >= CANCEL_CHECK_NANOS) {
                lastAsked[0] = System.nanoTime();
                try {
                    cancelled[0] = records.cancelRequested(lease.jobId());
                } catch (SQLException e) {
                    LOG.warn("job {}: could not read whether it was cancelled: {}", lease.jobId(), e.getMessage());
                }
            }
            return cancelled[0];
        };
    }
}
