package dev.rnnplayground.core.attend;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.WindowTrace;

/**
 * What one forward pass of an {@link AttentiveLstm} over a window leaves for the loss and the
 * backward pass: the LSTM's own trace, the attention's memory, queries, keys, values and weights,
 * the decoder's input [h_t; c_t], the logits and the gradients. Row t*B + b of every (T*B, ...)
 * array is stream b at step t. Create one per (steps, batch) shape and reuse it.
 *
 * <p>The memory holds the states the window's steps may attend over, as rows p*B + b for
 * positions p = 0 .. K+T-1: positions 0..K-1 the K carried-in past states (oldest first), positions
 * K..K+T-1 the window's own top-layer states h_0..h_{T-1}. Step t attends over positions
 * K+t-K .. K+t-1, that is h_{t-K} .. h_{t-1}; positions below {@link #firstValid}[b] hold no state yet.
 */
final class AttentiveTrace implements LanguageModel.Trace {
    final int steps;                // T
    final int batch;                // B
    final int attend;               // K
    final WindowTrace lstm;         // the LSTM layers' own trace
    final int[] firstValid;         // (B) the first memory position holding a state: K - (carried-in count)
    final double[] memory;          // ((K+T)*B, H) the states to attend over, see above
    final double[] queries;         // (T*B, H) q_t = W_q h_t
    final double[] keys;            // ((K+T)*B, H) W_k of every memory row
    final double[] values;          // ((K+T)*B, H) W_v of every memory row
    final double[] weights;         // (T*B, K) a_j at column j-1; 0 where masked
    final double[] decoderInput;    // (T*B, 2H) [h_t; c_t]
    final double[] logits;          // (T*B, V)
    final double[] dLogits;         // (T*B, V) dLoss/dlogits
    final double[] dDecoderInput;   // (T*B, 2H)
    final double[] dTop;            // (T*B, H) dL/dh_t of the top layer, all paths together
    final double[] dQueries;        // (T*B, H)
    final double[] dKeys;           // ((K+T)*B, H)
    final double[] dValues;         // ((K+T)*B, H)
    final double[] dMemory;         // ((K+T)*B, H); the carried-in rows' part is dropped (truncated BPTT)

    AttentiveTrace(AttentiveLstm model, int steps, int batch) {
        this.steps = steps;
        this.batch = batch;
        this.attend = model.attend();
        int hidden = model.hiddenSize(), vocab = model.vocab().size();
        int rows = steps * batch, memoryRows = (attend + steps) * batch;
        lstm = model.lstm.newTrace(steps, batch);
        firstValid = new int[batch];
        memory = new double[memoryRows * hidden];
        queries = new double[rows * hidden];
        keys = new double[memoryRows * hidden];
        values = new double[memoryRows * hidden];
        weights = new double[rows * attend];
        decoderInput = new double[rows * 2 * hidden];
        logits = new double[rows * vocab];
        dLogits = new double[rows * vocab];
        dDecoderInput = new double[rows * 2 * hidden];
        dTop = new double[rows * hidden];
        dQueries = new double[rows * hidden];
        dKeys = new double[memoryRows * hidden];
        dValues = new double[memoryRows * hidden];
        dMemory = new double[memoryRows * hidden];
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public double[] logits(int t, int b) {
        return LanguageModel.Trace.row(logits, t * batch + b, logits.length / (steps * batch));
    }

    /** Copy of the attention weights of stream b at step t: K values, a_j at index j-1 (0 where no state was there). */
    public double[] attentionWeights(int t, int b) {
        return LanguageModel.Trace.row(weights, t * batch + b, attend);
    }

    /** Dropout between the LSTM's layers, as a plain LSTM has it; the attention has none. */
    @Override
    public void setDropout(double p, long seed, long step) {
        lstm.setDropout(p, seed, step);
    }
}
