package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.util.SplitMix64;

/**
 * Which units dropout keeps during one training step (Srivastava et al., 2014; applied between
 * stacked layers as in Zaremba et al., 2014 and PyTorch's {@code nn.LSTM(dropout=p)}): each output
 * of layer l on its way to layer l+1 is zeroed with probability p, and the survivors are scaled by
 * 1/(1-p) so the next layer sees the same expected input in training and in evaluation.
 *
 * <p>The mask is a pure function of (seed, step, layer): a resumed run draws the same masks with
 * no generator state to store, and the reference and fast engines can be compared mask for mask.
 */
public final class DropoutMask {

    private DropoutMask() {
    }

    /**
     * Fills {@code scale} (T*B*H values, time-major: index (t*B + b)*H + j) with 0 for a dropped
     * unit and 1/(1-p) for a kept one.
     */
    public static void fill(long seed, long step, int layer, double p, double[] scale) {
        fill(seed, step, layer, p, 0, scale, 0, scale.length);
    }

    /**
     * The same mask's values from index {@code from} on, n of them, into scale[off .. off+n): what
     * a thread that trains some of the batch's streams needs, without drawing the others'.
     */
    public static void fill(long seed, long step, int layer, double p, long from, double[] scale, int off, int n) {
        SplitMix64 rng = new SplitMix64(seed ^ (step * 0x9E3779B97F4A7C15L) ^ ((layer + 1L) * 0xD1B54A32D192ED03L));
        rng.skip(from);
        double keptScale = 1.0 / (1.0 - p);
        for (int i = off; i < off + n; i++) scale[i] = rng.nextDouble() < p ? 0.0 : keptScale;
    }
}
