package dev.rnnplayground.core.model;

import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.util.SplitMix64;
import org.ejml.data.DMatrixRMaj;

/**
 * A learnable tensor and its gradient, side by side (recurrentjs' {@code Mat}): {@code w} is the
 * value, {@code dw} accumulates dLoss/dw during backward and is cleared by the trainer. A network
 * that is only sampled from has no {@code dw} (see {@link CharRnn#forInference}).
 *
 * <p>Named and shaped exactly as the PyTorch tensor it corresponds to, row-major.
 */
public final class Param {
    public final String name;
    public final int rows;      // first dimension (1 for a bias)
    public final int cols;      // second dimension (the bias length for a bias)
    public final boolean isVector;
    public final double[] w;    // (rows*cols) values
    public final double[] dw;   // (rows*cols) gradient; null in a network built for inference only
    /** EJML views sharing the arrays above, for the matrix products (grad null with dw). */
    public final DMatrixRMaj value;
    public final DMatrixRMaj grad;

    private Param(String name, int rows, int cols, boolean isVector, boolean withGradient) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.isVector = isVector;
        this.w = new double[rows * cols];
        this.dw = withGradient ? new double[rows * cols] : null;
        this.value = DMatrixRMaj.wrap(rows, cols, w);
        this.grad = withGradient ? DMatrixRMaj.wrap(rows, cols, dw) : null;
    }

    public static Param matrix(String name, int rows, int cols) {
        return matrix(name, rows, cols, true);
    }

    public static Param vector(String name, int length) {
        return vector(name, length, true);
    }

    /** @param withGradient false for a network that only runs forward: no {@code dw}, half the memory */
    public static Param matrix(String name, int rows, int cols, boolean withGradient) {
        return new Param(name, rows, cols, false, withGradient);
    }

    public static Param vector(String name, int length, boolean withGradient) {
        return new Param(name, 1, length, true, withGradient);
    }

    /** The PyTorch shape: [rows, cols] for a matrix, [length] for a bias. */
    public int[] shape() {
        return isVector ? new int[] {cols} : new int[] {rows, cols};
    }

    public int size() {
        return w.length;
    }

    public void zeroGrad() {
        java.util.Arrays.fill(dw, 0.0);
    }

    /**
     * Fills w with draws from N(0, std^2) (nanoGPT's {@code torch.nn.init.normal_}), by the
     * Box-Muller transform of two uniform draws each: the same seed gives the same weights
     * everywhere Math.log, sqrt and cos round alike (a browser may differ in a last bit).
     */
    public void normal(SplitMix64 rng, double std) {
        for (int i = 0; i < w.length; i++) {
            double u1 = 1 - rng.nextDouble();   // in (0, 1]: its log is finite
            double u2 = rng.nextDouble();
            w[i] = std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
    }

    /** Fills w with one value (a LayerNorm's weight starts at 1). */
    public void fill(double value) {
        java.util.Arrays.fill(w, value);
    }

    /** Fills w with U(-bound, bound), PyTorch's default for RNN weights and linear layers. */
    public void uniform(SplitMix64 rng, double bound) {
        for (int i = 0; i < w.length; i++) w[i] = (2 * rng.nextDouble() - 1) * bound;
    }
}
