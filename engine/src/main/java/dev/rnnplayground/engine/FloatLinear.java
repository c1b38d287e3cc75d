package dev.rnnplayground.engine;

/**
 * nn.Linear over all N rows of a window at once, both ways, every product one sgemm:
 * <pre>
 *   forward:  out = start + in W^T + b        in (N, I), W (O, I), b (O), out (N, O)
 *   backward: dIn = dOut W,  dW += dOut^T in,  db += 1^T dOut
 * </pre>
 * {@code start} is what the output starts from before the product: a residual stream the layer
 * adds into (nanoGPT's {@code x = x + c_proj(...)}), or nothing.
 */
final class FloatLinear {
    private FloatLinear() {
    }

    /**
     * out (N x O, native; written) = start (N x O, or null for zero) + in (N x I, not modified) W^T + b
     * (b may be null). scratch holds at least N*O floats and is overwritten.
     */
    static void forward(FloatArray in, int rows, FloatParam weight, FloatParam bias, float[] start,
                        FloatArray out, float[] scratch) {
        int outputs = weight.rows, inputs = weight.cols, n = rows * outputs;
        boolean startsAtZero = start == null && bias == null;
        if (!startsAtZero) {
            // the bias (and the residual) go in first; the product then adds onto them (beta = 1)
            if (bias != null) {
                bias.w.read(0, scratch, 0, outputs);
                for (int r = 1; r < rows; r++) System.arraycopy(scratch, 0, scratch, r * outputs, outputs);
                if (start != null) for (int i = 0; i < n; i++) scratch[i] += start[i];
            } else {
                System.arraycopy(start, 0, scratch, 0, n);
            }
            out.write(0, scratch, 0, n);
        }
        NativeBlas.gemm(false, true, rows, outputs, inputs, 1f, in, 0, inputs, weight.w, 0, inputs,
                startsAtZero ? 0f : 1f, out, 0, outputs);
    }

    /**
     * From dOut (N x O, not modified): dIn (N x I) = dOut W (written), and into the gradients
     * dWeight (O x I) += dOut^T in and dBias (O, null without a bias) += the column sums of dOut;
     * {@code ones} holds at least N ones.
     */
    static void backward(FloatArray dOut, int rows, FloatArray in, FloatParam weight, FloatArray dIn,
                         FloatArray dWeight, FloatArray dBias, FloatArray ones) {
        int outputs = weight.rows, inputs = weight.cols;
        NativeBlas.gemm(false, false, rows, inputs, outputs, 1f, dOut, 0, outputs, weight.w, 0, inputs,
                0f, dIn, 0, inputs);
        NativeBlas.gemm(true, false, outputs, inputs, rows, 1f, dOut, 0, outputs, in, 0, inputs,
                1f, dWeight, 0, inputs);
        if (dBias != null) {
            NativeBlas.gemm(false, false, 1, outputs, rows, 1f, ones, 0, rows, dOut, 0, outputs,
                    1f, dBias, 0, outputs);
        }
    }
}
