package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.model.LanguageModel;

/**
 * What {@link AblatedGpt}'s forward pass keeps for its backward pass, rows b*T + t as in the GPT's
 * trace. Where a part is missing its output is the same array as its input (no copy): without the
 * residual, {@code afterAttention[l]} is {@code attnOut[l]}; without the MLP, {@code x[l + 1]} is
 * {@code afterAttention[l]}; with the MLP and no residual, {@code x[l + 1]} is {@code fcProj[l]}.
 */
final class AblatedTrace implements LanguageModel.Trace {
    final int steps;
    final int batch;
    final int[] tokens;               // (B*T)
    final int[] positions;            // (B*T) t of each row
    final double[][] x;               // [L+1] (B*T, C): x[0] the embeddings, x[l+1] layer l's output
    final double[][] qkv;             // [L] (B*T, 3C)
    final double[][] probs;           // [L] (B, NH, T, T) attention weights
    final double[][] attnOut;         // [L] (B*T, C) the heads side by side
    final double[][] attnProj;        // [L] (B*T, C) c_proj of the attention, or null
    final double[][] afterAttention;  // [L] (B*T, C)
    final double[][] fc;              // [L] (B*T, 4C) or null
    final double[][] fcGelu;          // [L] (B*T, 4C) or null
    final double[][] fcProj;          // [L] (B*T, C) or null
    final double[] logits;            // (B*T, V)
    final double[] dLogits;           // (B*T, V)
    // backward's scratch, reused by every layer
    final double[] dStream;           // (B*T, C)
    final double[] dBelow;            // (B*T, C)
    final double[] dAttnOut;          // (B*T, C)
    final double[] dQkv;              // (B*T, 3C)
    final double[] dFc;               // (B*T, 4C)
    final double[] dFcGelu;           // (B*T, 4C)
    final double[] dProbs;            // (T)

    AblatedTrace(int steps, int batch, AblatedGpt.Parts parts, int vocabSize) {
        this.steps = steps;
        this.batch = batch;
        int rows = batch * steps, c = parts.channels(), layers = parts.layers();
        tokens = new int[rows];
        positions = new int[rows];
        for (int r = 0; r < rows; r++) positions[r] = r % steps;
        x = new double[layers + 1][];
        qkv = new double[layers][];
        probs = new double[layers][];
        attnOut = new double[layers][];
        attnProj = new double[layers][];
        afterAttention = new double[layers][];
        fc = new double[layers][];
        fcGelu = new double[layers][];
        fcProj = new double[layers][];
        x[0] = new double[rows * c];
        for (int l = 0; l < layers; l++) {
            qkv[l] = new double[rows * 3 * c];
            probs[l] = new double[batch * parts.heads() * steps * steps];
            attnOut[l] = new double[rows * c];
            if (parts.residual()) attnProj[l] = new double[rows * c];
            afterAttention[l] = parts.residual() ? new double[rows * c] : attnOut[l];
            if (parts.mlp()) {
                fc[l] = new double[rows * 4 * c];
                fcGelu[l] = new double[rows * 4 * c];
                fcProj[l] = new double[rows * c];
                x[l + 1] = parts.residual() ? new double[rows * c] : fcProj[l];
            } else {
                x[l + 1] = afterAttention[l];
            }
        }
        logits = new double[rows * vocabSize];
        dLogits = new double[rows * vocabSize];
        dStream = new double[rows * c];
        dBelow = new double[rows * c];
        dAttnOut = new double[rows * c];
        dQkv = new double[rows * 3 * c];
        dFc = new double[rows * 4 * c];
        dFcGelu = new double[rows * 4 * c];
        dProbs = new double[steps];
    }

    @Override public int steps() { return steps; }
    @Override public int batch() { return batch; }

    @Override
    public double[] logits(int t, int b) {
        return LanguageModel.Trace.row(logits, b * steps + t, logits.length / (steps * batch));
    }
}
