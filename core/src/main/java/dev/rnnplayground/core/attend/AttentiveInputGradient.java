package dev.rnnplayground.core.attend;

import dev.rnnplayground.core.model.CrossEntropy;
import dev.rnnplayground.core.rnn.GradientNorms;

/**
 * How one prediction's loss L_t of an {@link AttentiveLstm} depends on each character it read:
 * ||dL_t/d(W_ih x_p)|| for every step p of a window, the character as the LSTM's first layer sees
 * it (the same quantity {@code rnn.GradientReach} follows in a plain LSTM, so the curves compare).
 * The model's own backward runs from each window's last prediction alone; the gradient reaches
 * x_p along h's chain and, from the last K states, through the attention in one jump.
 */
public final class AttentiveInputGradient {
    private AttentiveInputGradient() {
    }

    /**
     * @param model   a model with gradient buffers (a {@code copy()}); its dw accumulate
     * @param inputs  (B, T) the windows, each read from a blank state (no past states)
     * @param targets (B, T) the next symbols; only each window's last one counts
     * @return [b][p] ||dL_t/d(W_ih x_p)|| for window b's last prediction L_t
     */
    public static double[][] lastPredictionNorms(AttentiveLstm model, int[][] inputs, int[][] targets) {
        int batch = inputs.length, steps = inputs[0].length;
        AttentiveTrace tr = model.newTrace(steps, batch);
        GradientNorms norms = new GradientNorms(tr.lstm);
        model.forward(inputs, model.zeroState(batch), tr);
        model.loss(tr, targets);
        int[] last = new int[batch];
        for (int b = 0; b < batch; b++) last[b] = (steps - 1) * batch + b;   // rows are time-major here
        CrossEntropy.keepOnlyRows(tr.dLogits, last, model.vocab().size());
        model.backward(tr);
        double[][] out = new double[batch][steps];
        for (int b = 0; b < batch; b++) for (int p = 0; p < steps; p++) out[b][p] = norms.inputStream(0, p, b);
        return out;
    }
}
