package dev.rnnplayground.core;

import org.ejml.data.DMatrixRMaj;

/**
 * A learnable tensor and its gradient, side by side (recurrentjs' {@code Mat}): {@code w} is the
 * value, {@code dw} accumulates dLoss/dw during backward and is cleared by the trainer.
 *
 * <p>Named and shaped exactly as the PyTorch tensor it corresponds to, row-major.
 */
public final class Param {
    public final String name;
    public final int rows;      // first dimension (1 for a bias)
    public final int cols;      // second dimension (the bias length for a bias)
    public final boolean isVector;
    public final double[] w;    // (rows*cols) values
    public final double[] dw;   // (rows*cols) gradient
    /** EJML views sharing the arrays above, for the matrix products. */
    final DMatrixRMaj value;
    final DMatrixRMaj grad;

    private Param(String name, int rows, int cols, boolean isVector) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.isVector = isVector;
        this.w = new double[rows * cols];
        this.dw = new double[rows * cols];
        this.value = DMatrixRMaj.wrap(rows, cols, w);
        this.grad = DMatrixRMaj.wrap(rows, cols, dw);
    }

    public static Param matrix(String name, int rows, int cols) {
        return new Param(name, rows, cols, false);
    }

    public static Param vector(String name, int length) {
        return new Param(name, 1, length, true);
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

    /** Fills w with U(-bound, bound), PyTorch's default for RNN weights and linear layers. */
    void uniform(SplitMix64 rng, double bound) {
        for (int i = 0; i < w.length; i++) w[i] = (2 * rng.nextDouble() - 1) * bound;
    }
}
