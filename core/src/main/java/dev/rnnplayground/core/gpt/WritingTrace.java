package dev.rnnplayground.core.gpt;

import dev.rnnplayground.core.model.LanguageModel;

/** The buffers one new position needs while a GPT writes ({@link Gpt#step}); reuse it character after character. */
public final class WritingTrace implements LanguageModel.Trace {
    final double[] x;          // (C) the residual stream of the new position
    final double[] ln;         // (C) a LayerNorm's output
    final double[] mean = new double[1], rstd = new double[1];
    final double[] qkv;        // (3C)
    final double[] probs;      // (L, NH, T) every head's attention weights for the position read last (0 past it)
    final double[] attnOut;    // (C)
    final double[] proj;       // (C) a c_proj's output
    final double[] fc;         // (4C)
    final double[] fcGelu;     // (4C)
    final double[] logits;     // (V)

    WritingTrace(Gpt model) {
        int c = model.channels();
        x = new double[c];
        ln = new double[c];
        qkv = new double[3 * c];
        probs = new double[model.layerCount() * model.heads() * model.contextLimit()];
        attnOut = new double[c];
        proj = new double[c];
        fc = new double[4 * c];
        fcGelu = new double[4 * c];
        logits = new double[model.vocab().size()];
    }

    @Override public int steps() { return 1; }
    @Override public int batch() { return 1; }

    /** The logits of the last position read. */
    @Override
    public double[] logits(int t, int b) {
        return logits.clone();
    }
}
