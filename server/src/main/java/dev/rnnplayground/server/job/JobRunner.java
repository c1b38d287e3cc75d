package dev.rnnplayground.server.job;

import dev.rnnplayground.core.Checkpoint;
import dev.rnnplayground.core.StepReport;
import dev.rnnplayground.core.Trainer;
import dev.rnnplayground.core.TrainingEngine;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.core.TrainingDivergedException;
import dev.rnnplayground.core.format.ModelFormatException;
import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.model.ModelService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one job on a worker thread, the way {@code rnn train} does, and reports as it goes:
 * a progress point every {@link ProgressHistory#strideFor stride} steps (mean loss over the
 * stride, gradient norm, speed, ETA; the validation loss when measured), a sample every
 * {@code sampleEvery} steps, and at the end the model. It checkpoints every
 * {@code checkpointEvery} steps and about every {@code checkpointSeconds}, at a progress point, so
 * that a restart resumes exactly there; when the server stops it checkpoints wherever it is.
 */
final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** Evaluations and samples a run makes at most, whatever the spec asks: they cost time and history. */
    static final int MAX_EVALUATIONS = 500;
    static final int MAX_SAMPLES = 100;
    static final int SAMPLE_LENGTH = 200;
    static final double SAMPLE_TEMPERATURE = 0.8;
    private static final int RECENT_STEPS = 100;

    private final JobEntry entry;
    private final JobStore store;
    private final CorpusService corpora;
    private final ModelService models;
    private final BooleanSupplier stopRequested;
    private final double checkpointSeconds;

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
        } catch (TrainingDivergedException e) {
            finish(JobStatus.FAILED, e.getMessage(), null);
        } catch (ModelFormatException e) {
            finish(JobStatus.FAILED, "the job's checkpoint is damaged (" + e.getMessage() + ")", null);
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("job {} failed", id, e);
            finish(JobStatus.FAILED, "the server could not train this job (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); the details are in the server log", null);
        }
    }

    private void train() {
        Job job = entry.job();
        JobSpec spec = job.spec();
        String text = corpora.text(spec.corpusId());
        byte[] checkpoint = store.readCheckpoint(job.id());
        // the fast engine when OpenBLAS loads here, else the reference (Engines says so once in the log)
        TrainingEngine.Factory engines = Engines.fastest();
        Trainer trainer = checkpoint != null ? Checkpoint.resume(checkpoint, text, engines)
                : new Trainer(spec.toConfig(), text, null, engines);
        long resumedFrom = trainer.stepsDone();
        long total = trainer.totalSteps();
        entry.history.truncateAfter(resumedFrom);
        if (resumedFrom > 0) LOG.info("job {} resumes from step {}", job.id(), resumedFrom);
        store.save(entry.update(j -> j.started(resumedFrom, total, Instant.now().toString())));

        long stride = ProgressHistory.strideFor(total);
        long evalEvery = spec.evalEvery() == 0 ? 0 : Math.max(spec.evalEvery(), ceilDiv(total, MAX_EVALUATIONS));
        long sampleEvery = spec.sampleEvery() == 0 ? 0 : Math.max(spec.sampleEvery(), ceilDiv(total, MAX_SAMPLES));
        long start = System.nanoTime();
        double secondsBefore = job.trainingSeconds();
        long charsBefore = trainer.charactersSeen();
        long lastCheckpointStep = resumedFrom;
        long lastCheckpointTime = start;
        double windowLoss = 0;
        int windowSteps = 0;
        boolean clipped = false;
        double[] recent = new double[RECENT_STEPS];
        int recentCount = 0;
        Double valLoss = null;

        while (!trainer.isDone()) {
            if (entry.cancelRequested) {
                finish(JobStatus.CANCELLED, null, null);
                return;
            }
            if (stopRequested.getAsBoolean()) {
                checkpoint(trainer, seconds(start, secondsBefore));
                store.save(entry.update(j -> j.withStatus(JobStatus.QUEUED)));
                LOG.info("job {} stopped at step {}; it resumes on the next start", job.id(), trainer.stepsDone());
                return;
            }
            StepReport r = trainer.step();
            long step = r.step();
            windowLoss += r.loss();
            windowSteps++;
            clipped |= r.clipped();
            recent[recentCount++ % RECENT_STEPS] = r.loss();
            boolean done = trainer.isDone();
            boolean evaluate = done || evalEvery > 0 && step % evalEvery == 0;
            if (evaluate) valLoss = finite(trainer.validationLoss());
            if (done || evaluate || step % stride == 0) {
                double seconds = (System.nanoTime() - start) / 1e9;
                double charsPerSecond = (r.charactersSeen() - charsBefore) / Math.max(seconds, 1e-9);
                double eta = Math.round((total - step) * seconds / Math.max(step - resumedFrom, 1) * 10) / 10.0;
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("step", step);
                point.put("steps", total);
                point.put("epoch", r.epoch());
                point.put("loss", windowLoss / windowSteps);
                point.put("valLoss", evaluate ? valLoss : null);
                point.put("gradNorm", finite(r.gradientNorm()));
                point.put("clipped", clipped);
                point.put("charsPerSecond", Math.round(charsPerSecond));
                point.put("etaSeconds", eta);
                point.put("trainingSeconds", round(secondsBefore + seconds));
                Double shownVal = valLoss;
                double meanLoss = windowLoss / windowSteps;
                // the record first, then the event: a client that sees the event and asks for the job sees it too
                entry.update(j -> j.progressed(step, meanLoss, shownVal, Math.round(charsPerSecond), eta,
                        round(secondsBefore + seconds)));
                entry.history.add("progress", point);
                windowLoss = 0;
                windowSteps = 0;
                clipped = false;
            }
            if (sampleEvery > 0 && step % sampleEvery == 0 && !done) {
                Map<String, Object> sample = new LinkedHashMap<>();
                sample.put("step", step);
                sample.put("text", trainer.sample("", SAMPLE_LENGTH, SAMPLE_TEMPERATURE));
                entry.history.add("sample", sample);
            }
            boolean atPoint = windowSteps == 0;
            boolean due = spec.checkpointEvery() > 0 && step - lastCheckpointStep >= spec.checkpointEvery()
                    || (System.nanoTime() - lastCheckpointTime) / 1e9 >= checkpointSeconds;
            if (!done && atPoint && due) {
                checkpoint(trainer, seconds(start, secondsBefore));
                lastCheckpointStep = step;
                lastCheckpointTime = System.nanoTime();
            }
        }

        double trainingSeconds = seconds(start, secondsBefore);
        int n = Math.min(recentCount, RECENT_STEPS);
        double trainLoss = 0;
        for (int i = 0; i < n; i++) trainLoss += recent[i];
        Double finalTrainLoss = n == 0 ? null : finite(trainLoss / n);
        ModelInfo model = models.addTrained(trainer.model(), new ModelInfo.Training(job.name(), spec.corpusId(),
                job.corpusName(), job.id(), finalTrainLoss, valLoss, trainingSeconds, trainer.stepsDone()));
        finish(JobStatus.DONE, null, model);
    }

    private void checkpoint(Trainer trainer, double trainingSeconds) {
        String id = entry.job().id();
        // history first: on a restart it is cut back to the checkpoint's step, never the other way round
        store.saveHistory(id, entry.history.all());
        store.saveCheckpoint(id, Checkpoint.write(trainer));
        long step = trainer.stepsDone();
        store.save(entry.update(j -> j.checkpointed(step, trainingSeconds)));
    }

    /** Records the end of the job: its last event, its record, and no more checkpoint. */
    private void finish(JobStatus status, String reason, ModelInfo model) {
        Job job = entry.job();
        String modelId = model == null ? null : model.id();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", job.step());
        if (model != null) {
            data.put("modelId", modelId);
            data.put("loss", model.trainLoss());   // mean over the last 100 steps, as the model records it
            data.put("valLoss", model.valLoss());
            data.put("trainingSeconds", model.trainingSeconds());
        }
        if (reason != null) data.put("reason", reason);
        Job finished = entry.update(j -> j.finished(status, reason, modelId, Instant.now().toString()));
        entry.history.add(status.id(), data);
        // on disk the history first: a crash before the record is saved leaves the job to resume, not half-finished
        store.saveHistory(job.id(), entry.history.all());
        store.save(finished);
        store.deleteCheckpoint(job.id());
        LOG.info("job {} {} at step {}{}", job.id(), status.id(), job.step(), reason == null ? "" : ": " + reason);
    }

    private static double seconds(long start, double before) {
        return round(before + (System.nanoTime() - start) / 1e9);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
