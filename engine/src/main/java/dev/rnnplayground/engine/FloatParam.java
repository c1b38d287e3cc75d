package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.Param;

/**
 * A parameter of the fast engine: value and gradient side by side in float32, named and shaped
 * as the reference {@link Param} it mirrors (PyTorch's names). The bottom layer's input weights
 * are stored transposed, (V, G*H) instead of (G*H, V), so that reading a one-hot character is a
 * contiguous row copy; {@link #copyFrom}/{@link #copyTo} undo that.
 */
final class FloatParam {
    final String name;
    final int rows;                  // PyTorch's first dimension (1 for a bias)
    final int cols;                  // PyTorch's second dimension
    final boolean storedTransposed;
    /** A matrix (embeddings included), which AdamW's weight decay shrinks; biases and gains do not decay. */
    final boolean decays;
    final FloatArray w;
    final FloatArray dw;

    FloatParam(Param reference, boolean storedTransposed) {
        this.name = reference.name;
        this.rows = reference.rows;
        this.cols = reference.cols;
        this.storedTransposed = storedTransposed;
        this.decays = !reference.isVector;
        this.w = new FloatArray(rows * cols);
        this.dw = new FloatArray(rows * cols);
    }

    int size() {
        return w.length;
    }

    /** Reads values in PyTorch's layout (e.g. a Param's w or an optimizer buffer) into {@code into}. */
    void copyFrom(double[] values, FloatArray into) {
        if (!storedTransposed) {
            into.copyFrom(values);
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) into.set(c * rows + r, (float) values[r * cols + c]);
        }
    }

    /** Writes {@code from} out in PyTorch's layout. */
    void copyTo(FloatArray from, double[] values) {
        if (!storedTransposed) {
            from.copyTo(values);
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) values[r * cols + c] = from.get(c * rows + r);
        }
    }
}
