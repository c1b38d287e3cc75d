package dev.rnnplayground.server.training;

import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.train.StepReport;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;

/**
 * The one training loop, which {@code rnn train} and the server's jobs both drive: it steps a
 * {@link Trainer} to its last step and tells a {@link TrainingListener} what happens, on one
 * cadence for everybody:
 * <ul>
 *   <li>a progress point every {@link #strideFor stride} steps, at every validation and at the end;</li>
 *   <li>the validation loss every {@code evalEvery} steps and at the end (at most {@value #MAX_EVALUATIONS}
 *       times a run: each one costs a pass over the held-out text);</li>
 *   <li>a {@value #SAMPLE_LENGTH}-character sample at temperature {@value #SAMPLE_TEMPERATURE} every
 *       {@code sampleEvery} steps (at most {@value #MAX_SAMPLES} a run);</li>
 *   <li>a checkpoint at the first progress point after every {@code checkpointEvery} steps, and
 *       after every {@code checkpointSeconds} of training, never at the last step (the model is
 *       written then).</li>
 * </ul>
 * Before each step it asks the listener whether to cancel (checkpoint, hand over what was trained,
 * end) or stop (checkpoint, end, resume later). A diverging run ends with the trainer's {@code TrainingDivergedException}.
 */
public final class TrainingLoop {

    /** Progress points a run reports at most (plus the validation points and the last step). */
    public static final int MAX_POINTS = 1000;
    public static final int MAX_EVALUATIONS = 500;
    public static final int MAX_SAMPLES = 100;
    public static final int SAMPLE_LENGTH = SampleConfig.WHILE_TRAINING.length();
    public static final double SAMPLE_TEMPERATURE = SampleConfig.WHILE_TRAINING.temperature();
    /** The run's "train loss" is the mean over this many last steps: one window's loss is noisy. */
    public static final int RECENT_STEPS = 100;

    public enum Outcome { FINISHED, STOPPED, CANCELLED }

    private final Trainer trainer;
    private final double secondsBefore;
    private final double checkpointSeconds;
    private final TrainingListener listener;

    /**
     * @param trainer           a new or resumed run
     * @param secondsBefore     training time spent before a resume (0 for a new run)
     * @param checkpointSeconds checkpoint at least this often; {@code Double.POSITIVE_INFINITY} for by steps only
     * @param listener          told what happens
     */
    public TrainingLoop(Trainer trainer, double secondsBefore, double checkpointSeconds, TrainingListener listener) {
        this.trainer = trainer;
        this.secondsBefore = secondsBefore;
        this.checkpointSeconds = checkpointSeconds;
        this.listener = listener;
    }

    /** Steps between progress points: the smallest power of two that keeps a run within {@link #MAX_POINTS}. */
    public static long strideFor(long totalSteps) {
        long stride = 1;
        while (totalSteps / stride > MAX_POINTS) stride *= 2;
        return stride;
    }

    /** Steps between evaluations (or samples): as asked, but at most {@code maxTimes} in a run; 0 = never. */
    static long cadence(long every, long totalSteps, int maxTimes) {
        return every == 0 ? 0 : Math.max(every, (totalSteps + maxTimes - 1) / maxTimes);
    }

    public Outcome run() {
        TrainConfig config = trainer.config();
        long resumedFrom = trainer.stepsDone();
        long total = trainer.totalSteps();
        long stride = strideFor(total);
        long evalEvery = cadence(config.evalEvery(), total, MAX_EVALUATIONS);
        long sampleEvery = cadence(config.sampleEvery(), total, MAX_SAMPLES);
        long start = System.nanoTime();
        long charsBefore = trainer.charactersSeen();
        long lastCheckpointStep = resumedFrom;
        long lastCheckpointTime = start;
        double[] recent = new double[RECENT_STEPS];   // a ring of the last steps' losses
        long stepsRun = 0;
        double pointLoss = 0;
        int pointSteps = 0;
        boolean clipped = false;
        Double validationLoss = null;
        long validatedAt = -1;   // the step validationLoss was measured at
        boolean validatedAtEnd = false;

        while (!trainer.isDone()) {
            if (listener.cancelRequested()) {
                if (trainer.stepsDone() > 0) {
                    // the checkpoint before the validation pass, which must leave the resumed run untouched
                    listener.onCheckpoint(trainer, secondsBefore + seconds(start));
                    Double atCancel = validatedAt == trainer.stepsDone() ? validationLoss : finite(trainer.validationLoss());
                    listener.onCancel(summary(atCancel, recent, stepsRun, start, charsBefore));
                }
                return Outcome.CANCELLED;
            }
            if (listener.stopRequested()) {
                listener.onCheckpoint(trainer, secondsBefore + seconds(start));
                return Outcome.STOPPED;
            }
            StepReport r = trainer.step();
            long step = r.step();
            recent[(int) (stepsRun++ % RECENT_STEPS)] = r.loss();
            pointLoss += r.loss();
            pointSteps++;
            clipped |= r.clipped();
            listener.onStep(r);
            boolean done = trainer.isDone();
            boolean evaluate = done || evalEvery > 0 && step % evalEvery == 0;
            if (evaluate) {
                validationLoss = finite(trainer.validationLoss());
                validatedAt = step;
                validatedAtEnd = done;
            }
            boolean atPoint = done || evaluate || step % stride == 0;
            if (atPoint) {
                double seconds = seconds(start);
                double charsPerSecond = (r.charactersSeen() - charsBefore) / Math.max(seconds, 1e-9);
                double eta = (total - step) * seconds / Math.max(step - resumedFrom, 1);
                listener.onProgress(new TrainingListener.Progress(step, total, r.epoch(), pointLoss / pointSteps,
                        mean(recent, stepsRun), evaluate ? validationLoss : null, r.gradientNorm(), clipped, r.charactersSeen(),
                        new TrainingListener.Pace(charsPerSecond, eta, secondsBefore + seconds)));
                pointLoss = 0;
                pointSteps = 0;
                clipped = false;
            }
            if (sampleEvery > 0 && step % sampleEvery == 0 && !done) {
                listener.onSample(step, trainer.sample("", SAMPLE_LENGTH, SAMPLE_TEMPERATURE));
            }
            boolean due = config.checkpointEvery() > 0 && step - lastCheckpointStep >= config.checkpointEvery()
                    || (System.nanoTime() - lastCheckpointTime) / 1e9 >= checkpointSeconds;
            if (atPoint && due && !done) {
                listener.onCheckpoint(trainer, secondsBefore + seconds(start));
                lastCheckpointStep = step;
                lastCheckpointTime = System.nanoTime();
            }
        }
        if (!validatedAtEnd) validationLoss = finite(trainer.validationLoss());   // a run resumed at its very end
        listener.onFinish(summary(validationLoss, recent, stepsRun, start, charsBefore));
        return Outcome.FINISHED;
    }

    /** How the run stands now, for a model made of it: at its end, or where it was cancelled. */
    private TrainingListener.Summary summary(Double validationLoss, double[] recent, long stepsRun, long start, long charsBefore) {
        double seconds = seconds(start);
        return new TrainingListener.Summary(trainer.stepsDone(),
                stepsRun == 0 ? null : finite(mean(recent, stepsRun)), validationLoss, secondsBefore + seconds,
                (trainer.charactersSeen() - charsBefore) / Math.max(seconds, 1e-9));
    }

    /**
     * The mean of the ring's values, summed oldest first: a run resumed at any step sums the same
     * steps in the same order as an uninterrupted one, so both report the same loss to the last bit.
     */
    private static double mean(double[] ring, long filled) {
        int n = (int) Math.min(filled, ring.length);
        int oldest = filled > ring.length ? (int) (filled % ring.length) : 0;
        double sum = 0;
        for (int i = 0; i < n; i++) sum += ring[(oldest + i) % ring.length];
        return sum / n;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
