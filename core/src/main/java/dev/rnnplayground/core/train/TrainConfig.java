package dev.rnnplayground.core.train;

import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.model.CellType;

import java.util.ArrayList;
import java.util.List;

/**
 * Every hyperparameter of a training run, in one place, with the reason for each default
 * (nanoGPT's GPTConfig, char-rnn's cmd:option help strings). {@link #defaults()} is the one list of
 * defaults that {@code rnn train}, the server's jobs and the page all use; {@link TrainLimits}
 * holds the allowed ranges.
 *
 * @param cell            lstm by default: it learns text best; the vanilla RNN shows why gates exist
 * @param hidden          128 units per layer: small enough to train in minutes on a laptop CPU
 * @param layers          1 stacked recurrent layer: the simplest network that writes words
 * @param seqLength       T = 50 characters per BPTT window: how far back the gradient can reach, char-rnn's default
 * @param batchSize       B = 1 parallel stream: trains on any text longer than one window (char-rnn uses 50 on long texts)
 * @param optimizer       adam adapts per-parameter step sizes and is forgiving about lr
 * @param learningRate    the optimizer's own default ({@link OptimizerType#defaultLearningRate()}): 2e-3 for Adam
 * @param clip            5, as in char-rnn: gradient clipping limit; 0 turns clipping off
 * @param clipMode        norm rescales all gradients together, keeping their direction; value clamps each element
 * @param steps           1000 optimizer steps: long enough to see a model learn words; 0 lets epochs decide
 * @param epochs          full passes over the training text, used when steps is 0 (0 by default)
 * @param valFraction     the last 5% of the text is held out to measure generalisation
 * @param seed            1: one seed for the initial weights and the sample generator, so runs repeat exactly
 * @param evalEvery       200 steps between validation losses (0: only at the end): a curve without slowing training
 * @param checkpointEvery 1000 steps between checkpoints a stopped run can resume from (0: never on the command
 *                        line; a server job also checkpoints about every 10 seconds)
 * @param sampleEvery     500 steps between samples (0: never): watch the writing improve, as char-rnn prints it
 * @param dropout         0: no dropout between layers; 0.2 to 0.5 helps big multi-layer models not to memorise the text
 */
public record TrainConfig(CellType cell, int hidden, int layers, int seqLength, int batchSize,
                          OptimizerType optimizer, double learningRate, double clip, GradientClipping.Mode clipMode,
                          long steps, double epochs, double valFraction, long seed,
                          int evalEvery, int checkpointEvery, int sampleEvery, double dropout) {

    /** A run without dropout: every other setting as given. */
    public TrainConfig(CellType cell, int hidden, int layers, int seqLength, int batchSize,
                       OptimizerType optimizer, double learningRate, double clip, GradientClipping.Mode clipMode,
                       long steps, double epochs, double valFraction, long seed,
                       int evalEvery, int checkpointEvery, int sampleEvery) {
        this(cell, hidden, layers, seqLength, batchSize, optimizer, learningRate, clip, clipMode, steps, epochs,
                valFraction, seed, evalEvery, checkpointEvery, sampleEvery, 0);
    }

    /** The defaults, each with its reason above. */
    public static TrainConfig defaults() {
        return new TrainConfig(CellType.LSTM, 128, 1, 50, 1, OptimizerType.ADAM,
                OptimizerType.ADAM.defaultLearningRate(), 5, GradientClipping.Mode.NORM, 1000, 0, 0.05, 1,
                200, 1000, 500, 0);
    }

    /** Every out-of-range field for a run on the command line; see {@link #validate(TrainLimits)}. */
    public List<String> validate() {
        return validate(TrainLimits.COMMAND_LINE);
    }

    /** Every out-of-range field, one message each as "field: what is wrong, got X"; empty when valid. */
    public List<String> validate(TrainLimits limits) {
        List<String> errors = new ArrayList<>();
        if (cell == null) errors.add("cell: must be " + CellType.names());
        check(errors, "hidden", hidden, limits.hidden());
        check(errors, "layers", layers, limits.layers());
        check(errors, "seqLength", seqLength, limits.seqLength());
        check(errors, "batchSize", batchSize, limits.batchSize());
        if (optimizer == null) errors.add("optimizer: must be sgd, adagrad, rmsprop or adam");
        check(errors, "lr", learningRate, limits.learningRate());
        check(errors, "clip", clip, limits.clip());
        if (clipMode == null) errors.add("clipMode: must be norm or value");
        if (steps != 0) check(errors, "steps", steps, limits.steps());   // 0: epochs decides
        if (epochs != 0) check(errors, "epochs", epochs, limits.epochs());   // 0: steps decides
        if (steps == 0 && epochs == 0) errors.add("steps: give a number of steps or of epochs");
        check(errors, "valFraction", valFraction, limits.valFraction());
        check(errors, "evalEvery", evalEvery, limits.evalEvery());
        check(errors, "checkpointEvery", checkpointEvery, limits.checkpointEvery());
        check(errors, "sampleEvery", sampleEvery, limits.sampleEvery());
        check(errors, "dropout", dropout, limits.dropout());
        return errors;
    }

    private static void check(List<String> errors, String field, double value, TrainLimits.Range range) {
        if (!range.contains(value)) errors.add(field + ": " + range.rule() + ", got " + TrainLimits.Range.show(value));
    }

    public TrainConfig withSteps(long newSteps) {
        return new TrainConfig(cell, hidden, layers, seqLength, batchSize, optimizer, learningRate, clip, clipMode,
                newSteps, epochs, valFraction, seed, evalEvery, checkpointEvery, sampleEvery, dropout);
    }
}
