package dev.rnnplayground.core.rnn;

import org.ejml.data.DMatrixRMaj;

/**
 * Records how large the gradient on each step's state is during one backward pass:
 * ||dL/dh_{t+1}|| over the whole batch, and for each stream apart (and an LSTM's ||dL/dc_{t+1}||
 * per stream), and per stream ||dL/dgi_t||, the gradient on what the step read. The curve over t
 * is what shows gradients vanishing with distance.
 */
public final class GradientNorms implements BackwardObserver {
    private final double[][] total;            // [layer][t] over the whole batch
    private final double[][][] perStream;      // [layer][t][b]
    private final double[][][] cellPerStream;  // [layer][t][b], LSTM only
    private final double[][][] inputPerStream; // [layer][t][b] ||dL/dgi_t||, gi_t = x_t W_ih^T + b_ih

    /** Watches the next backward passes of {@code trace}. */
    public GradientNorms(WindowTrace trace) {
        int layers = trace.layers.length;
        total = new double[layers][trace.steps];
        perStream = new double[layers][trace.steps][trace.batch];
        cellPerStream = new double[layers][trace.steps][trace.batch];
        inputPerStream = new double[layers][trace.steps][trace.batch];
        trace.observeBackward(this);
    }

    @Override
    public void atStep(int layer, int t, DMatrixRMaj dh, DMatrixRMaj dc) {
        total[layer][t] = RecurrentLayer.frobenius(dh);
        rowNorms(dh, perStream[layer][t]);
        if (dc != null) rowNorms(dc, cellPerStream[layer][t]);
    }

    @Override
    public void atInput(int layer, int t, DMatrixRMaj dGi) {
        rowNorms(dGi, inputPerStream[layer][t]);
    }

    /** ||dL/dh_{t+1}|| for every step t of layer l over the whole batch, from the last backward pass. */
    public double[] total(int layer) {
        return total[layer].clone();
    }

    /** ||dL/dh_{t+1}|| of stream b at step t of layer l. */
    public double stream(int layer, int t, int b) {
        return perStream[layer][t][b];
    }

    /** An LSTM's ||dL/dc_{t+1}|| of stream b at step t of layer l. */
    public double cellStream(int layer, int t, int b) {
        return cellPerStream[layer][t][b];
    }

    /**
     * ||dL/dgi_t|| of stream b at step t of layer l, gi_t = x_t W_ih^T + b_ih; for layer 0, the
     * gradient on the character read at step t as the network sees it, W_ih x_t.
     */
    public double inputStream(int layer, int t, int b) {
        return inputPerStream[layer][t][b];
    }

    /** out[b] = the Euclidean norm of row b of m. */
    private static void rowNorms(DMatrixRMaj m, double[] out) {
        for (int r = 0; r < m.numRows; r++) {
            double s = 0;
            for (int j = 0; j < m.numCols; j++) s += m.data[r * m.numCols + j] * m.data[r * m.numCols + j];
            out[r] = Math.sqrt(s);
        }
    }
}
