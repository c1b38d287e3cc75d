package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.model.Param;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The input x_t that feeds a recurrent layer at each step of a window, and the two things a
 * layer does with it: the input projection {@code x_t W_ih^T + b_ih} on the way forward, and on
 * the way back the gradients {@code dW_ih += dGi^T x_t}, {@code db_ih += sum_b dGi},
 * {@code dx_t = dGi W_ih}.
 *
 * <p>Layer 0 reads characters as one-hot vectors, so its projection is a column lookup rather
 * than a product with a vector of zeros; deeper layers read the hidden states of the layer below.
 */
abstract class LayerInput {

    /** out = x_t W^T + b. out is (B, G*H), W is (G*H, In), b is (G*H). out is overwritten. */
    abstract void project(Param weight, Param bias, int t, DMatrixRMaj out);

    /**
     * Accumulates weight and bias gradients from dGi (B, G*H) and, when dx is not null, writes
     * dx_t = dGi W (B, In) into dx (overwritten).
     */
    abstract void backprop(Param weight, Param bias, int t, DMatrixRMaj dGi, DMatrixRMaj dx);

    static void addBiasRows(double[] bias, DMatrixRMaj out) {
        int cols = out.numCols;
        double[] o = out.data;
        for (int r = 0; r < out.numRows; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) o[base + j] += bias[j];
        }
    }

    static void addColumnSums(DMatrixRMaj m, double[] target) {
        int cols = m.numCols;
        double[] d = m.data;
        for (int r = 0; r < m.numRows; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) target[j] += d[base + j];
        }
    }

    /** Characters as one-hot vectors: ids[t][b] is the vocabulary index stream b reads at step t. */
    static final class OneHot extends LayerInput {
        private final int[][] ids;   // (T, B)

        OneHot(int[][] ids) {
            this.ids = ids;
        }

        @Override
        void project(Param weight, Param bias, int t, DMatrixRMaj out) {
            int rows = weight.rows;       // G*H
            int vocab = weight.cols;      // V
            double[] w = weight.w;
            double[] b = bias.w;
            double[] o = out.data;
            int[] column = ids[t];
            for (int s = 0; s < column.length; s++) {
                int id = column[s];
                int base = s * rows;
                for (int j = 0; j < rows; j++) o[base + j] = w[j * vocab + id] + b[j];
            }
        }

        @Override
        void backprop(Param weight, Param bias, int t, DMatrixRMaj dGi, DMatrixRMaj dx) {
            int rows = weight.rows;
            int vocab = weight.cols;
            double[] dw = weight.dw;
            double[] db = bias.dw;
            double[] g = dGi.data;
            int[] column = ids[t];
            for (int s = 0; s < column.length; s++) {
                int id = column[s];
                int base = s * rows;
                for (int j = 0; j < rows; j++) {
                    dw[j * vocab + id] += g[base + j];
                    db[j] += g[base + j];
                }
            }
            // no dx: the characters are data, not something to learn
        }
    }

    /** The hidden states of the layer below: xs[t] is (B, In). */
    static final class Dense extends LayerInput {
        private final DMatrixRMaj[] xs;

        Dense(DMatrixRMaj[] xs) {
            this.xs = xs;
        }

        @Override
        void project(Param weight, Param bias, int t, DMatrixRMaj out) {
            CommonOps_DDRM.multTransB(xs[t], weight.value, out);
            addBiasRows(bias.w, out);
        }

        @Override
        void backprop(Param weight, Param bias, int t, DMatrixRMaj dGi, DMatrixRMaj dx) {
            CommonOps_DDRM.multAddTransA(dGi, xs[t], weight.grad);
            addColumnSums(dGi, bias.dw);
            if (dx != null) CommonOps_DDRM.mult(dGi, weight.value, dx);
        }
    }
}
