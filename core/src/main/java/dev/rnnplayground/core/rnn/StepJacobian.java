package dev.rnnplayground.core.rnn;

import org.ejml.data.DMatrixRMaj;

/**
 * The Jacobian of one recurrent step, J_t = dh_t/dh_{t-1} (H, H), and its spectral norm: the most
 * one step can stretch a gradient on its way back. Backpropagation multiplies the gradient by
 * J_t^T at every step, so a run of steps with ||J_t|| below 1 makes it vanish, above 1 explode.
 * For an LSTM this is the step of h alone, the cell state c_{t-1} held fixed.
 *
 * <p>Built from the cell's own backward rather than a second derivation: every cell's backward is
 * elementwise up to the product with W_hh, dGh = D dh (D stacks one diagonal per gate) plus a
 * diagonal direct path P (a GRU's z * h_{t-1}). So one backward call with dh = all ones reads off
 * every diagonal at once, and
 * <pre>
 *   J[j][m] = P[j] (j == m) + sum over gates k of D_k[j] W_hh[k*H + j][m]
 * </pre>
 * The largest singular value then comes from power iteration on J^T J.
 */
final class StepJacobian {
    private static final int MAX_ITERATIONS = 300;
    private static final double TOLERANCE = 1e-12;

    private StepJacobian() {
    }

    /**
     * The spectral norm of dh_{t+1}/dh_t at step t of a forward pass, for every stream of the trace.
     * Call it before the trace's backward pass: it borrows the cell's backward, which may leave
     * per-stream records in tr that backward then overwrites.
     */
    static double[] spectralNorms(RecurrentLayer layer, LayerTrace tr, int t) {
        int batch = tr.batch, hs = layer.hiddenSize, gates = layer.gates;
        DMatrixRMaj ones = new DMatrixRMaj(batch, hs);
        ones.fill(1);
        DMatrixRMaj dGh = new DMatrixRMaj(batch, gates * hs);
        DMatrixRMaj dhPrev = new DMatrixRMaj(batch, hs);
        layer.cellBackward(t, tr, ones, new DMatrixRMaj(batch, hs), new DMatrixRMaj(batch, gates * hs), dGh,
                dhPrev, new DMatrixRMaj(batch, hs));
        double[] norms = new double[batch];
        for (int b = 0; b < batch; b++) norms[b] = spectralNorm(jacobian(layer, dGh, dhPrev, b));
        return norms;
    }

    /** J for stream b (H, H) from the diagonals D (dGh) and P (dhPrev) that backward gave for dh = 1. */
    static DMatrixRMaj jacobian(RecurrentLayer layer, DMatrixRMaj dGh, DMatrixRMaj dhPrev, int b) {
        int hs = layer.hiddenSize, width = layer.gates * hs;
        double[] w = layer.weightHh.w;   // (G*H, H)
        DMatrixRMaj j = new DMatrixRMaj(hs, hs);
        for (int row = 0; row < hs; row++) {
            for (int k = 0; k < layer.gates; k++) {
                double d = dGh.data[b * width + k * hs + row];
                int wRow = (k * hs + row) * hs;
                for (int m = 0; m < hs; m++) j.data[row * hs + m] += d * w[wRow + m];
            }
            j.data[row * hs + row] += dhPrev.data[b * hs + row];
        }
        return j;
    }

    /** The largest singular value of a square matrix, by power iteration on J^T J. */
    static double spectralNorm(DMatrixRMaj j) {
        int n = j.numRows;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 1 + 0.01 * i;   // any start with a part along the top singular vector
        normalize(v);
        double[] jv = new double[n];
        double sigma = 0;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            multiply(j, v, jv, false);
            double next = norm(jv);
            if (next == 0) return 0;
            multiply(j, jv, v, true);   // v = J^T J v
            normalize(v);
            boolean settled = Math.abs(next - sigma) <= TOLERANCE * next;
            sigma = next;
            if (settled) break;
        }
        multiply(j, v, jv, false);
        return Math.max(sigma, norm(jv));
    }

    /** out = J x, or J^T x when transposed. */
    private static void multiply(DMatrixRMaj j, double[] x, double[] out, boolean transposed) {
        int n = j.numRows;
        java.util.Arrays.fill(out, 0);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double a = j.data[r * n + c];
                if (transposed) out[c] += a * x[r];
                else out[r] += a * x[c];
            }
        }
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double a : x) s += a * a;
        return Math.sqrt(s);
    }

    private static void normalize(double[] x) {
        double n = norm(x);
        if (n > 0) for (int i = 0; i < x.length; i++) x[i] /= n;
    }
}
