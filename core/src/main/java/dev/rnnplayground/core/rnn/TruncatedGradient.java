package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.model.Param;
import java.util.Arrays;

/**
 * The gradient of a window's mean loss with backpropagation through time cut k steps back: the
 * loss at step t sends its gradient to the states of steps t, t-1, ..., t-k+1 only (in every
 * layer), and what would flow further back is dropped. With k at least the window's length this
 * is exactly {@link CharRnn#lossAndGradients}; with k = 1 each prediction only blames the step that
 * made it. Comparing it with the true gradient ({@link GradientCheck}) shows what going back
 * through time adds.
 *
 * <p>How: one forward over the whole window gives every state; then, for each step t, the last k
 * steps before it are run again from the state the full pass had there, and only L_t is
 * backpropagated through them. Gradients accumulate in each {@link Param#dw}, so the sum over t
 * is the truncated gradient of the mean loss. It costs T short windows instead of one long one.
 */
public final class TruncatedGradient {

    private TruncatedGradient() {
    }

    /**
     * As {@link CharRnn#lossAndGradients(int[][], int[][], HiddenState)} with the gradient of each
     * step's loss stopped {@code steps} steps back; {@code state} is advanced to the window's end.
     */
    public static double lossAndGradients(CharRnn model, int[][] inputs, int[][] targets, HiddenState state, int steps) {
        if (steps < 1) throw new IllegalArgumentException("truncation must be at least 1 step, got " + steps);
        int batch = inputs.length, windowLength = inputs[0].length;
        if (steps >= windowLength) return model.lossAndGradients(inputs, targets, state);
        WindowTrace full = model.newTrace(windowLength, batch);
        HiddenState start = state.copy();
        model.forward(inputs, state, full);
        double loss = model.loss(full, targets);
        int vocab = model.vocab().size();
        for (int t = 0; t < windowLength; t++) {
            int from = Math.max(0, t - steps + 1), length = t - from + 1;
            HiddenState before = from == 0 ? start.copy() : stateBefore(model, full, from);
            int[][] in = new int[batch][], out = new int[batch][];
            for (int b = 0; b < batch; b++) {
                in[b] = Arrays.copyOfRange(inputs[b], from, t + 1);
                out[b] = Arrays.copyOfRange(targets[b], from, t + 1);
            }
            WindowTrace piece = model.newTrace(length, batch);
            model.forward(in, before, piece);
            model.loss(piece, out);
            // keep only step t's rows, weighted as in the whole window's mean: 1 / (B * T)
            double[] dz = piece.dLogits.data;
            int lastRows = (length - 1) * batch * vocab;
            Arrays.fill(dz, 0, lastRows, 0);
            for (int i = lastRows; i < dz.length; i++) dz[i] *= (double) length / windowLength;
            model.backward(piece);
        }
        return loss;
    }

    /** The state every layer had just before reading input {@code step} of the full pass. */
    private static HiddenState stateBefore(CharRnn model, WindowTrace full, int step) {
        HiddenState s = model.zeroState(full.batch);
        for (int l = 0; l < model.numLayers(); l++) {
            s.h[l].setTo(full.layers[l].h[step]);
            if (s.c != null) s.c[l].setTo(full.layers[l].c[step]);
        }
        return s;
    }
}
