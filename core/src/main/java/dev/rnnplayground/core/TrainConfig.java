package dev.rnnplayground.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Every hyperparameter of a training run, in one place, with the reason for each default
 * (nanoGPT's GPTConfig, char-rnn's cmd:option help strings).
 *
 * @param cell            rnn, lstm or gru; LSTM learns text best, the vanilla RNN shows why gates exist
 * @param hidden          units per layer; 128 is small enough to train in minutes on a laptop CPU
 * @param layers          stacked recurrent layers, 1 to 4
 * @param seqLength       T, characters per BPTT window: how far back the gradient can reach
 * @param batchSize       B, parallel streams of text per step (char-rnn's scheme)
 * @param optimizer       adam adapts per-parameter step sizes and is forgiving about lr
 * @param learningRate    2e-3 suits Adam and RMSProp on char models; SGD and Adagrad want ~0.1
 * @param clip            gradient clipping limit; 5 as in char-rnn; 0 turns clipping off
 * @param clipMode        norm rescales all gradients together; value clamps each element
 * @param steps           optimizer steps to run; when 0, epochs decides
 * @param epochs          full passes over the training text, used when steps is 0
 * @param valFraction     last share of the text held out to measure generalisation
 * @param seed            one seed for the initial weights and the sample generator: runs repeat exactly
 * @param evalEvery       steps between validation-loss measurements (0: only at the end)
 * @param checkpointEvery steps between checkpoints a stopped run can resume from (0: never)
 * @param sampleEvery     steps between printed samples (0: never)
 * @param dropout         share of each layer's outputs zeroed on the way to the next layer while
 *                        training (PyTorch's {@code dropout} of nn.LSTM; not after the last layer)
 */
public record TrainConfig(CellType cell, int hidden, int layers, int seqLength, int batchSize,
                          OptimizerType optimizer, double learningRate, double clip, GradientClipping.Mode clipMode,
                          long steps, double epochs, double valFraction, long seed,
                          int evalEvery, int checkpointEvery, int sampleEvery, double dropout) {

    public static final int MAX_HIDDEN = 2048;
    public static final int MAX_SEQ_LENGTH = 1000;
    public static final int MAX_BATCH = 1024;
    public static final long MAX_STEPS = 100_000_000L;
    public static final double MAX_DROPOUT = 0.9;

    public static TrainConfig defaults() {
        return new TrainConfig(CellType.LSTM, 128, 1, 50, 1, OptimizerType.ADAM, 2e-3, 5,
                GradientClipping.Mode.NORM, 1000, 0, 0.05, 1, 100, 0, 0, 0);
    }

    /** Every out-of-range field, one message each as "field: what is wrong"; empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (cell == null) errors.add("cell: must be rnn, lstm or gru");
        if (hidden < 1 || hidden > MAX_HIDDEN) errors.add("hidden: must be 1 to " + MAX_HIDDEN + ", got " + hidden);
        if (layers < 1 || layers > CharRnn.MAX_LAYERS) errors.add("layers: must be 1 to " + CharRnn.MAX_LAYERS + ", got " + layers);
        if (seqLength < 1 || seqLength > MAX_SEQ_LENGTH) errors.add("seqLength: must be 1 to " + MAX_SEQ_LENGTH + ", got " + seqLength);
        if (batchSize < 1 || batchSize > MAX_BATCH) errors.add("batchSize: must be 1 to " + MAX_BATCH + ", got " + batchSize);
        if (optimizer == null) errors.add("optimizer: must be sgd, adagrad, rmsprop or adam");
        if (!(learningRate > 0 && learningRate <= 10)) errors.add("lr: must be greater than 0 and at most 10, got " + learningRate);
        if (!(clip >= 0 && clip <= 1e6)) errors.add("clip: must be 0 (off) to 1e6, got " + clip);
        if (clipMode == null) errors.add("clipMode: must be norm or value");
        if (steps < 0 || steps > MAX_STEPS) errors.add("steps: must be 0 to " + MAX_STEPS + ", got " + steps);
        if (!(epochs >= 0 && epochs <= 10_000)) errors.add("epochs: must be 0 to 10000, got " + epochs);
        if (steps == 0 && epochs == 0) errors.add("steps: give a number of steps or of epochs");
        if (!(valFraction >= 0 && valFraction <= 0.5)) errors.add("valFraction: must be 0 to 0.5, got " + valFraction);
        if (evalEvery < 0) errors.add("evalEvery: must be 0 or more, got " + evalEvery);
        if (checkpointEvery < 0) errors.add("checkpointEvery: must be 0 or more, got " + checkpointEvery);
        if (sampleEvery < 0) errors.add("sampleEvery: must be 0 or more, got " + sampleEvery);
        if (!(dropout >= 0 && dropout <= MAX_DROPOUT)) errors.add("dropout: must be 0 to " + MAX_DROPOUT + ", got " + dropout);
        return errors;
    }

    public TrainConfig withSteps(long newSteps) {
        return new TrainConfig(cell, hidden, layers, seqLength, batchSize, optimizer, learningRate, clip, clipMode,
                newSteps, epochs, valFraction, seed, evalEvery, checkpointEvery, sampleEvery, dropout);
    }
}
