package dev.rnnplayground.core.train;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.Optimizer;

/**
 * The arithmetic of one training step, behind an interface so that a faster implementation can
 * stand in for the readable one without changing the loop around it ({@link Trainer}): the
 * reference engine ({@link ReferenceEngine}) is this package's float64 code; the fast engine (the
 * {@code engine} module) does the same math in float32 on a real BLAS.
 *
 * <p>An engine owns the numbers while training runs: weights, gradients, optimizer state and the
 * hidden state carried from window to window. {@link #exportTo} copies them into the reference
 * objects (to save, sample or checkpoint) and {@link #importFrom} reads them back (after a
 * checkpoint is restored).
 */
public interface TrainingEngine {

    /**
     * Forward over one window of truncated BPTT from the carried hidden state (which it advances),
     * the loss, and backward; the gradients wait for {@link #clipAndUpdate}. {@code step} is the
     * 1-based number of the step being computed; it picks the dropout masks.
     *
     * @return the mean loss over the window, nats per character
     */
    double lossAndGradients(int[][] inputs, int[][] targets, long step);

    /** The global L2 norm of the gradients just computed. */
    double gradientNorm();

    /**
     * Clips the gradients ({@link GradientClipping}, given the norm from {@link #gradientNorm}),
     * applies one optimizer update and clears the gradients.
     *
     * @return whether clipping changed anything
     */
    boolean clipAndUpdate(GradientClipping.Mode mode, double limit, double gradientNorm);

    /** The learning rate of the next {@link #clipAndUpdate} (a schedule changes it from step to step). */
    void setLearningRate(double learningRate);

    /** Forgets the carried hidden state: the next window starts from zeros (a new epoch). */
    void resetCarriedState();

    /** Mean loss of predicting {@code ids} as {@link Evaluator#meanLoss(LanguageModel, int[], int)} defines it. */
    double meanLoss(int[] ids, int streams);

    /** Copies weights, optimizer state and carried hidden state into the reference objects. */
    void exportTo(LanguageModel model, Optimizer optimizer, LanguageModel.CarriedState carried);

    /** Reads weights, optimizer state and carried hidden state from the reference objects. */
    void importFrom(LanguageModel model, Optimizer optimizer, LanguageModel.CarriedState carried);

    /** One line for logs, e.g. "reference: float64, EJML, 1 thread". */
    String description();

    /** Makes the engine a run trains with, starting from the given reference objects. */
    interface Factory {
        TrainingEngine create(TrainConfig config, LanguageModel model, Optimizer optimizer, LanguageModel.CarriedState carried);
    }
}
