package dev.rnnplayground.core.gpt;

import dev.rnnplayground.core.model.CrossEntropy;

/**
 * How one prediction's loss L_t depends on each position a GPT read: dL_t/dx_p for every position
 * p of a window, where x_p = wte[token_p] + wpe[p] is the encoder's output, the vector the first
 * block reads (nanoGPT's {@code tok_emb + pos_emb}). The gradient reach ({@code rnn.GradientReach})
 * draws its size k = t - p steps back beside the recurrent networks'.
 *
 * <p>It runs the model's own forward and backward ({@link Gpt#backward}) from each window's last
 * prediction alone; the backward's last step leaves dLoss/d(encoder output) in the trace's
 * dBranch, which is read here. A position further back than the window, and so more than a block
 * back, is not read at all: its gradient is 0 by construction, nothing to measure.
 */
public final class GptInputGradient {
    private GptInputGradient() {
    }

    /**
     * @param model   a model with gradient buffers (a {@code copy()}); its dw accumulate
     * @param inputs  (B, T) the windows, T at most the block
     * @param targets (B, T) the next symbols; only each window's last one counts
     * @return (B*T, C) row b*T + p: dL_t/dx_p for window b's last prediction L_t
     */
    public static double[] lastPrediction(Gpt model, int[][] inputs, int[][] targets) {
        int batch = inputs.length, steps = inputs[0].length;
        GptTrace tr = model.newTrace(steps, batch);
        model.forward(inputs, model.zeroState(batch), tr);
        model.loss(tr, targets);
        int[] last = new int[batch];
        for (int b = 0; b < batch; b++) last[b] = b * steps + steps - 1;   // rows are window-major here
        CrossEntropy.keepOnlyRows(tr.dLogits, last, model.vocab().size());
        model.backward(tr);
        return tr.dBranch.clone();   // after backward: dLoss/d(encoded), see the class comment
    }

    /** As {@link #lastPrediction}, each row's Euclidean norm: [b][p] = ||dL_t/dx_p|| of window b. */
    public static double[][] lastPredictionNorms(Gpt model, int[][] inputs, int[][] targets) {
        double[] gradient = lastPrediction(model, inputs, targets);
        int batch = inputs.length, steps = inputs[0].length, c = model.channels();
        double[][] norms = new double[batch][steps];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < steps; p++) {
                double s = 0;
                for (int i = (b * steps + p) * c; i < (b * steps + p + 1) * c; i++) s += gradient[i] * gradient[i];
                norms[b][p] = Math.sqrt(s);
            }
        }
        return norms;
    }
}
