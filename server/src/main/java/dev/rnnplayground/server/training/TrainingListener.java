package dev.rnnplayground.server.training;

import dev.rnnplayground.core.train.StepReport;
import dev.rnnplayground.core.train.Trainer;

/**
 * What a {@link TrainingLoop} tells the one who runs it ({@code rnn train} prints it, a server job
 * records it and streams it to the page), and what it asks: whether to cancel or stop.
 */
public interface TrainingListener {

    /**
     * One point of the training curve: every {@link TrainingLoop#strideFor stride} steps, at every
     * validation, and at the last step.
     *
     * @param step            steps done
     * @param totalSteps      steps in all
     * @param epoch           passes over the training text so far
     * @param loss            mean training loss over the steps since the previous point (nats/char): the curve
     * @param recentLoss      mean training loss over the last {@value TrainingLoop#RECENT_STEPS} steps (fewer
     *                        right after a start or a resume): the run's "train loss" everywhere
     * @param validationLoss  loss on the held-out text, measured at this step; null when not measured here
     *                        or when there is no held-out text
     * @param gradientNorm    the last step's gradient norm before clipping
     * @param clipped         whether clipping changed any gradient since the previous point
     * @param charactersSeen  training characters read so far (steps x batch x window), including before a
     *                        resume: the x axis that compares runs whose steps cost different time
     * @param pace            how fast it trains and for how long it has
     */
    record Progress(long step, long totalSteps, double epoch, double loss, double recentLoss, Double validationLoss,
                    double gradientNorm, boolean clipped, long charactersSeen, Pace pace) {
    }

    /**
     * @param charsPerSecond  training speed since this run (re)started
     * @param etaSeconds      time left at that speed
     * @param trainingSeconds time spent training, including before a resume
     */
    record Pace(double charsPerSecond, double etaSeconds, double trainingSeconds) {
    }

    /**
     * How a finished run ended.
     *
     * @param steps           steps done
     * @param trainLoss       mean training loss over the last {@value TrainingLoop#RECENT_STEPS} steps; null if none ran
     * @param validationLoss  loss on the held-out text at the end; null when there is none
     * @param trainingSeconds time spent training, including before a resume
     * @param charsPerSecond  training speed since this run (re)started
     */
    record Summary(long steps, Double trainLoss, Double validationLoss, double trainingSeconds, double charsPerSecond) {
    }

    /**
     * Asked before every step: true ends the run there. A run that has trained (steps done, here or
     * before a resume) checkpoints where it is ({@link #onCheckpoint}), so that it can be resumed,
     * and hands over what it trained ({@link #onCancel}); one cancelled before its first step just ends.
     */
    default boolean cancelRequested() {
        return false;
    }

    /** Asked before every step: true checkpoints the run where it is and ends it, to resume later. */
    default boolean stopRequested() {
        return false;
    }

    /** After every step, for a display that ticks (a progress bar). */
    default void onStep(StepReport step) {
    }

    void onProgress(Progress progress);

    /** A sample of the model as it is, from the run's own generator; every {@code sampleEvery} steps. */
    default void onSample(long step, String text) {
    }

    /**
     * A checkpoint is due (every {@code checkpointEvery} steps, or by time, always at a progress
     * point so that a resumed curve neither repeats nor skips a point; and when a stop or a cancel is asked):
     * write {@code Checkpoint.write(trainer)} where the run can resume from it. A listener that
     * cannot write it reports that and returns: the loop trains on and asks again at the next
     * checkpoint.
     */
    default void onCheckpoint(Trainer trainer, double trainingSeconds) {
    }

    /** The last step is done and the final validation loss measured: the model is ready to be written. */
    void onFinish(Summary summary);

    /**
     * The run was cancelled after {@code summary.steps()} of its steps, just after the checkpoint there:
     * the trainer holds the weights so far, with the validation loss measured at this step, ready to be
     * kept as a model the learner can write with (the server does; {@code rnn train} has no cancel).
     */
    default void onCancel(Summary summary) {
    }
}
