package dev.rnnplayground.core.gpt;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.DropoutMask;

/**
 * Everything one forward pass over B windows of T positions leaves for the loss and the backward
 * pass (llm.c's {@code ActivationTensors}), and the backward pass's scratch. Row r = b*T + t of
 * every (B*T, ...) array is window b at position t. Create one per (T, B) and reuse it.
 */
final class GptTrace implements LanguageModel.Trace {
    final int steps;                  // T
    final int batch;                  // B
    final int[] tokens;               // (B*T) the symbol each row read
    final int[] positions;            // (B*T) its position in its window
    final double[] encoded;           // (B*T, C) token + position embeddings (after dropout)
    // per layer l: the block's activations in the order forward computes them
    final double[][] ln1, ln1Mean, ln1Rstd;   // (B*T, C), (B*T), (B*T)
    final double[][] qkv;                     // (B*T, 3C)
    final double[][] probs;                   // (B, NH, T, T) attention weights
    final double[][] attnOut;                 // (B*T, C) the heads' outputs side by side
    final double[][] attnProj;                // (B*T, C) after c_proj (and dropout)
    final double[][] residual2;               // (B*T, C) residual + attention
    final double[][] ln2, ln2Mean, ln2Rstd;   // (B*T, C), (B*T), (B*T)
    final double[][] fc;                      // (B*T, 4C) before GELU
    final double[][] fcGelu;                  // (B*T, 4C) after GELU
    final double[][] fcProj;                  // (B*T, C) after the MLP's c_proj (and dropout)
    final double[][] residual3;               // (B*T, C) residual2 + MLP: the block's output
    final double[] lnf, lnfMean, lnfRstd;     // (B*T, C), (B*T), (B*T)
    final double[] logits;                    // (B*T, V)
    final double[] dLogits;                   // (B*T, V) dLoss/dlogits

    /**
     * Dropout scales (0 for a dropped value, 1/(1-p) for a kept one) where nanoGPT drops: after the
     * embeddings, on the attention weights, after each c_proj; all null when dropout is off.
     */
    double[] embeddingKeep;                   // (B*T, C)
    double[][] probsKeep;                     // [L] (B, NH, T, T)
    double[][] attnProjKeep, fcProjKeep;      // [L] (B*T, C)

    // backward scratch
    final double[] dResidual;                 // (B*T, C) dLoss/d(the residual stream where backward is)
    final double[] dBranch;                   // (B*T, C) dLoss/d(a branch's output, or a LayerNorm's)
    final double[] dAttnOut;                  // (B*T, C)
    final double[] dQkv;                      // (B*T, 3C)
    final double[] dFc, dFcGelu;              // (B*T, 4C)
    final double[] dProbs;                    // (T)

    private final int channels, layers, heads;

    GptTrace(Gpt model, int steps, int batch) {
        int c = model.channels(), l = model.layerCount(), nh = model.heads(), v = model.vocab().size();
        int rows = batch * steps;
        this.steps = steps;
        this.batch = batch;
        this.channels = c;
        this.layers = l;
        this.heads = nh;
        tokens = new int[rows];
        positions = new int[rows];
        for (int r = 0; r < rows; r++) positions[r] = r % steps;
        encoded = new double[rows * c];
        ln1 = new double[l][rows * c];
        ln1Mean = new double[l][rows];
        ln1Rstd = new double[l][rows];
        qkv = new double[l][rows * 3 * c];
        probs = new double[l][batch * nh * steps * steps];
        attnOut = new double[l][rows * c];
        attnProj = new double[l][rows * c];
        residual2 = new double[l][rows * c];
        ln2 = new double[l][rows * c];
        ln2Mean = new double[l][rows];
        ln2Rstd = new double[l][rows];
        fc = new double[l][rows * 4 * c];
        fcGelu = new double[l][rows * 4 * c];
        fcProj = new double[l][rows * c];
        residual3 = new double[l][rows * c];
        lnf = new double[rows * c];
        lnfMean = new double[rows];
        lnfRstd = new double[rows];
        logits = new double[rows * v];
        dLogits = new double[rows * v];
        dResidual = new double[rows * c];
        dBranch = new double[rows * c];
        dAttnOut = new double[rows * c];
        dQkv = new double[rows * 3 * c];
        dFc = new double[rows * 4 * c];
        dFcGelu = new double[rows * 4 * c];
        dProbs = new double[steps];
    }

    /**
     * Turns dropout on for the following forward passes (p > 0) with the masks of training step
     * {@code step}, or off (p = 0). Each place draws its own mask from (seed, step, place) with
     * {@link DropoutMask}: place 0 is the embeddings; for block l, 1 + 3l the attention weights,
     * 2 + 3l the attention's output, 3 + 3l the MLP's output.
     */
    @Override
    public void setDropout(double p, long seed, long step) {
        if (p <= 0) {
            embeddingKeep = null;
            probsKeep = attnProjKeep = fcProjKeep = null;
            return;
        }
        if (embeddingKeep == null) {
            embeddingKeep = new double[encoded.length];
            probsKeep = new double[layers][probs[0].length];
            attnProjKeep = new double[layers][encoded.length];
            fcProjKeep = new double[layers][encoded.length];
        }
        DropoutMask.fill(seed, step, 0, p, embeddingKeep);
        for (int l = 0; l < layers; l++) {
            DropoutMask.fill(seed, step, 1 + 3 * l, p, probsKeep[l]);
            DropoutMask.fill(seed, step, 2 + 3 * l, p, attnProjKeep[l]);
            DropoutMask.fill(seed, step, 3 + 3 * l, p, fcProjKeep[l]);
        }
    }

    boolean dropout() {
        return embeddingKeep != null;
    }

    int heads() {
        return heads;
    }

    @Override public int steps() { return steps; }
    @Override public int batch() { return batch; }

    /** Copy of the logits of window b at position t. */
    @Override
    public double[] logits(int t, int b) {
        int size = logits.length / (steps * batch);
        double[] row = new double[size];
        System.arraycopy(logits, (b * steps + t) * size, row, 0, size);
        return row;
    }

    /** Copy of block l's attention weights for window b, head h, query t (T values, 0 after t). */
    public double[] attention(int layer, int b, int h, int t) {
        double[] row = new double[steps];
        System.arraycopy(probs[layer], ((b * heads + h) * steps + t) * steps, row, 0, steps);
        return row;
    }

    int channels() {
        return channels;
    }
}
