package dev.rnnplayground.server.job;

import dev.rnnplayground.core.train.Checkpoint;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.train.TrainingEngine;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.common.StorageFailure;
import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.model.ModelService;
import dev.rnnplayground.server.training.TrainingListener;
import dev.rnnplayground.server.training.TrainingLoop;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one job on a worker thread with the loop {@code rnn train} uses ({@link TrainingLoop}),
 * and records what it reports: progress points and samples go to the job's history (and so to its
 * event stream), checkpoints to the job's directory (every {@code checkpointEvery} steps and about
 * every {@code checkpointSeconds}, so that a restart resumes exactly there; when the server stops,
 * wherever it is), and at the end the model. A cancelled run keeps what it trained: a checkpoint
 * at the step it stopped, for Resume, and the model so far ({@link JobModel}). A checkpoint that
 * cannot be written is reported as a {@code warning} and tried again at the next one; the training
 * goes on. A model that cannot be written is reported too, and tried again until the disk takes it.
 */
final class JobRunner implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** How often a finished job tries again to write a model the disk refused. */
    static final int MODEL_RETRY_SECONDS = 2;

    private final JobEntry entry;
    private final JobStore store;
    private final CorpusService corpora;
    private final ModelService models;
    private final BooleanSupplier stopRequested;
    private final double checkpointSeconds;
    private Trainer trainer;
    /** Set once the run was cancelled after training: what it trained is kept (its checkpoint, and the model if stored). */
    private boolean trainedBeforeCancel;
    private ModelInfo keptModel;

    JobRunner(JobEntry entry, JobStore store, CorpusService corpora, ModelService models,
              BooleanSupplier stopRequested, double checkpointSeconds) {
        this.entry = entry;
        this.store = store;
        this.corpora = corpora;
        this.models = models;
        this.stopRequested = stopRequested;
        this.checkpointSeconds = checkpointSeconds;
    }

    void run() {
        String id = entry.job().id();
        try {
            train();
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!TrainingFailure.expected(e)) LOG.error("job {} failed", id, e);
            finish(JobStatus.FAILED, TrainingFailure.reason(e, "the server", "the server log"), null);
        }
    }

    private void train() {
        Job job = entry.job();
        JobSpec spec = job.spec();
        String text = corpora.text(spec.corpusId());
        byte[] checkpoint = store.readCheckpoint(job.id());
        // the fast engine when OpenBLAS loads here, else the reference (Engines says so once in the log)
        TrainingEngine.Factory engines = Engines.fastest();
        trainer = checkpoint != null ? Checkpoint.resume(checkpoint, text, engines)
                : new Trainer(spec.toConfig(), text, null, engines);
        long resumedFrom = trainer.stepsDone();
        entry.history.truncateAfter(resumedFrom);
        if (resumedFrom > 0) LOG.info("job {} resumes from step {}", job.id(), resumedFrom);
        store.save(entry.update(j -> j.started(resumedFrom, trainer.totalSteps(), Instant.now().toString())));
        TrainingLoop.Outcome outcome = new TrainingLoop(trainer, job.trainingSeconds(), checkpointSeconds, this).run();
        if (outcome == TrainingLoop.Outcome.CANCELLED) {
            finish(JobStatus.CANCELLED, null, keptModel);
        } else if (outcome == TrainingLoop.Outcome.STOPPED) {
            try {
                store.save(entry.update(j -> j.withStatus(JobStatus.QUEUED)));
            } catch (UncheckedIOException e) {
                // job.json still says running, which a restart also resumes, from the last checkpoint written
                LOG.warn("job {}: could not record the stop: {}", job.id(), e.getMessage());
            }
            LOG.info("job {} stopped at step {}; it resumes on the next start", job.id(), trainer.stepsDone());
        }
    }

    @Override
    public boolean cancelRequested() {
        return entry.cancelRequested;
    }

    @Override
    public boolean stopRequested() {
        return stopRequested.getAsBoolean();
    }

    @Override
    public void onProgress(Progress p) {
        double eta = ProgressPoint.etaSeconds(p);
        // the record first, then the event: a client that sees the event and asks for the job sees it too
        entry.update(j -> j.progressed(p.step(), finite(p.recentLoss()), p.validationLoss(),
                Math.round(p.pace().charsPerSecond()), eta, round(p.pace().trainingSeconds())));
        entry.history.add("progress", ProgressPoint.of(p));
    }

    @Override
    public void onSample(long step, String text) {
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("step", step);
        sample.put("text", text);
        entry.history.add("sample", sample);
    }

    /**
     * Writes the checkpoint. One that cannot be written (a full disk, a read-only directory) costs
     * no training: the job says so in its {@code warning} and its event stream, keeps the last
     * checkpoint that was written, trains on, and tries again at the next checkpoint.
     */
    @Override
    public void onCheckpoint(Trainer t, double trainingSeconds) {
        String id = entry.job().id();
        long step = t.stepsDone();
        try {
            // history first: on a restart it is cut back to the checkpoint's step, never the other way round
            store.saveHistory(id, entry.history.all());
            store.saveCheckpoint(id, Checkpoint.write(t));
        } catch (UncheckedIOException e) {
            reportUnwrittenCheckpoint(step, e);
            return;
        }
        boolean wasWarned = entry.job().warning() != null;
        Job checkpointed = entry.update(j -> j.checkpointed(step, round(trainingSeconds)));
        if (wasWarned) sendWarning(step, null);   // tells a listening page the warning is over
        try {
            store.save(checkpointed);
        } catch (UncheckedIOException e) {
            // the checkpoint itself is on disk, and a restart resumes from it; job.json catches up at the next one
            LOG.warn("job {}: checkpoint at step {} written, but not the job's record: {}", id, step, e.getMessage());
        }
    }

    private void reportUnwrittenCheckpoint(long step, UncheckedIOException e) {
        warn(step, "Checkpoint at step " + step + " could not be written: " + StorageFailure.reason(e, store.dataDir())
                + "; training continues, " + lastCheckpoint());
    }

    private String lastCheckpoint() {
        Long last = entry.job().checkpointStep();
        return last == null ? "and there is no checkpoint yet, so a restart would start over."
                : "the last checkpoint is step " + last + ".";
    }

    /** Sets the job's warning and sends it as a {@code warning} event. */
    private void warn(long step, String message) {
        LOG.warn("job {}: {}", entry.job().id(), message);
        entry.update(j -> j.warned(message));
        sendWarning(step, message);
    }

    /** A {@code warning} event; its message is null when the warning clears. */
    private void sendWarning(long step, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        data.put("message", message);
        entry.history.add("warning", data);
    }

    @Override
    public void onFinish(Summary s) {
        Job job = entry.job();
        saveFinalProgress(job);
        ModelInfo model = storeModel(JobModel.of(job, trainer, s), s.steps(),
                () -> entry.cancelRequested || stopRequested.getAsBoolean());
        if (model != null) {
            finish(JobStatus.DONE, null, model);
        } else if (entry.cancelRequested) {
            finish(JobStatus.CANCELLED, null, null);
        }
        // else the server is stopping: the job stays unfinished on disk and resumes from its last checkpoint
    }

    /**
     * Keeps what a cancelled run trained as a model (the loop has just checkpointed this step, so a
     * Resume goes on from here). A disk that refuses it gets the same warning and retries as a
     * finished job's model, until the server stops: the job then ends cancelled without it.
     */
    @Override
    public void onCancel(Summary s) {
        trainedBeforeCancel = true;
        keptModel = storeModel(JobModel.of(entry.job(), trainer, s), s.steps(), stopRequested);
    }

    /**
     * Puts the last progress point and the record at the last step on disk before the model is
     * stored: a kill between the model and {@link #finish} makes the next start mark the job done
     * from what is on disk, which was the last checkpoint's (step 5,944 of 6,000, no final point).
     * History first, as at a checkpoint. A disk that cannot take them leaves that older state.
     */
    private void saveFinalProgress(Job job) {
        try {
            store.saveHistory(job.id(), entry.history.all());
            store.save(job);
        } catch (UncheckedIOException e) {
            LOG.warn("job {}: the final progress could not be written before the model: {}", job.id(), e.toString());
        }
    }

    /**
     * Stores the trained model. A full or read-only disk does not throw the training away: the job
     * waits with a warning and tries again every {@value #MODEL_RETRY_SECONDS} seconds, until the
     * model is written (then it is returned) or {@code giveUp} says so (null): a finished job gives up
     * when it is cancelled or the server stops, a cancelled one when the server stops.
     */
    private ModelInfo storeModel(ModelInfo.Training training, long step, BooleanSupplier giveUp) {
        boolean warned = false;
        while (true) {
            try {
                return models.addTrained(trainer.model(), training);
            } catch (UncheckedIOException e) {
                if (!warned) {
                    warn(step, "The trained model could not be written: " + StorageFailure.reason(e, store.dataDir())
                            + "; the job tries again every " + MODEL_RETRY_SECONDS + " seconds, " + lastCheckpoint());
                    warned = true;
                }
            }
            long until = System.nanoTime() + MODEL_RETRY_SECONDS * 1_000_000_000L;
            while (System.nanoTime() < until) {
                if (giveUp.getAsBoolean()) return null;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /**
     * Records the end of the job: its last event, its record, and no more checkpoint, except after a
     * cancel that came once it had trained: the checkpoint stays for Resume, and the step is the
     * trainer's (the record's last progress point may lie a few steps before it).
     */
    private void finish(JobStatus status, String reason, ModelInfo model) {
        Job job = entry.job();
        boolean keepsCheckpoint = status == JobStatus.CANCELLED && trainedBeforeCancel;
        long step = keepsCheckpoint ? trainer.stepsDone() : job.step();
        String modelId = model == null ? null : model.id();
        Map<String, Object> data = JobModel.endEvent(step, model);
        if (reason != null) data.put("reason", reason);
        String at = Instant.now().toString();
        Job finished = entry.update(j -> keepsCheckpoint ? j.cancelledAfterTraining(step, model, at) : j.finished(status, reason, modelId, at));
        entry.history.add(status.id(), data);
        // on disk the history first: a crash before the record is saved leaves the job to resume, not half-finished
        store.saveHistory(job.id(), entry.history.all());
        store.save(finished);
        if (!keepsCheckpoint) store.deleteCheckpoint(job.id());
        LOG.info("job {} {} at step {}{}{}", job.id(), status.id(), step, reason == null ? "" : ": " + reason,
                model == null ? "" : ", model " + modelId);
    }

    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
