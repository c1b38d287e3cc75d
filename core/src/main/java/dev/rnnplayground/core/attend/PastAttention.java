package dev.rnnplayground.core.attend;

import dev.rnnplayground.core.gpt.Linear;
import dev.rnnplayground.core.model.Param;

/**
 * The attention head of an {@link AttentiveLstm}: at each step t, the current top-layer state h_t
 * asks which of the K states before it matter now (Daniluk et al. 2017, "Frustratingly Short
 * Attention Spans in Neural Language Modeling"):
 * <pre>
 *   q_t = W_q h_t,   k_j = W_k h_{t-j},   v_j = W_v h_{t-j}          j = 1..K    (H each)
 *   a_j = softmax_j( q_t . k_j / sqrt(H) )                           over the j that hold a state
 *   c_t = sum_j a_j v_j                                              (0 when no state is there yet)
 * </pre>
 * W_q, W_k, W_v are H x H without biases ({@code nn.Linear(H, H, bias=False)}). Forward and
 * backward side by side; the memory layout is {@link AttentiveTrace}'s.
 */
final class PastAttention {
    final Param query;   // (H, H) attn.query.weight
    final Param key;     // (H, H) attn.key.weight
    final Param value;   // (H, H) attn.value.weight
    private final int hidden;
    private final int attend;

    PastAttention(int hidden, int attend, boolean withGradients) {
        this.hidden = hidden;
        this.attend = attend;
        query = Param.matrix("attn.query.weight", hidden, hidden, withGradients);
        key = Param.matrix("attn.key.weight", hidden, hidden, withGradients);
        value = Param.matrix("attn.value.weight", hidden, hidden, withGradients);
    }

    /**
     * Fills the trace's memory from the carried-in past and the window's top-layer states
     * {@code top} (T*B, H), then computes every step's attention weights and context, writing
     * [h_t; c_t] into the trace's decoder input.
     */
    void forward(double[] top, AttentiveState state, AttentiveTrace tr) {
        int batch = tr.batch, steps = tr.steps, memoryRows = (attend + steps) * batch;
        fillMemory(top, state, tr);
        Linear.forward(tr.queries, top, query.w, null, steps * batch, hidden, hidden);
        Linear.forward(tr.keys, tr.memory, key.w, null, memoryRows, hidden, hidden);
        Linear.forward(tr.values, tr.memory, value.w, null, memoryRows, hidden, hidden);
        double scale = 1 / Math.sqrt(hidden);
        double[] context = new double[hidden];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int row = t * batch + b;
                int weightsAt = row * attend;
                java.util.Arrays.fill(tr.weights, weightsAt, weightsAt + attend, 0.0);
                java.util.Arrays.fill(context, 0.0);
                // scores q_t . k_j / sqrt(H) for the j whose memory position holds a state
                int valid = validSteps(tr, t, b);
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 1; j <= valid; j++) {
                    int k = ((attend + t - j) * batch + b) * hidden;
                    double score = dot(tr.queries, row * hidden, tr.keys, k) * scale;
                    tr.weights[weightsAt + j - 1] = score;
                    max = Math.max(max, score);
                }
                // softmax over those, and c_t = sum_j a_j v_j
                double sum = 0;
                for (int j = 1; j <= valid; j++) {
                    double e = Math.exp(tr.weights[weightsAt + j - 1] - max);
                    tr.weights[weightsAt + j - 1] = e;
                    sum += e;
                }
                for (int j = 1; j <= valid; j++) {
                    double a = tr.weights[weightsAt + j - 1] /= sum;
                    int v = ((attend + t - j) * batch + b) * hidden;
                    for (int i = 0; i < hidden; i++) context[i] += a * tr.values[v + i];
                }
                int in = row * 2 * hidden;
                System.arraycopy(top, row * hidden, tr.decoderInput, in, hidden);
                System.arraycopy(context, 0, tr.decoderInput, in + hidden, hidden);
            }
        }
    }

    /**
     * Backward from dL/d[h_t; c_t] in the trace's dDecoderInput: accumulates dW_q, dW_k, dW_v and
     * adds to tr.dTop (which holds what reached each h_t directly through the decoder) what reaches
     * it through its query, and through its key and value wherever a later step of the window
     * attended to it.
     * What reaches the carried-in past states is dropped: they are constants of this window.
     */
    void backward(double[] top, AttentiveTrace tr) {
        int batch = tr.batch, steps = tr.steps, rows = steps * batch, memoryRows = (attend + steps) * batch;
        java.util.Arrays.fill(tr.dQueries, 0.0);
        java.util.Arrays.fill(tr.dKeys, 0.0);
        java.util.Arrays.fill(tr.dValues, 0.0);
        double scale = 1 / Math.sqrt(hidden);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int row = t * batch + b, weightsAt = row * attend;
                int dc = row * 2 * hidden + hidden;   // dL/dc_t, the second half of dL/d[h_t; c_t]
                int valid = validSteps(tr, t, b);
                // through c_t = sum_j a_j v_j: da_j = dc . v_j, dv_j += a_j dc
                double[] da = new double[valid + 1];
                double weighted = 0;   // sum_j a_j da_j
                for (int j = 1; j <= valid; j++) {
                    int v = ((attend + t - j) * batch + b) * hidden;
                    double a = tr.weights[weightsAt + j - 1];
                    da[j] = dot(tr.dDecoderInput, dc, tr.values, v);
                    for (int i = 0; i < hidden; i++) tr.dValues[v + i] += a * tr.dDecoderInput[dc + i];
                    weighted += a * da[j];
                }
                // through the softmax: ds_j = a_j (da_j - sum_i a_i da_i); then the score's q . k / sqrt(H)
                for (int j = 1; j <= valid; j++) {
                    double ds = tr.weights[weightsAt + j - 1] * (da[j] - weighted) * scale;
                    int k = ((attend + t - j) * batch + b) * hidden, q = row * hidden;
                    for (int i = 0; i < hidden; i++) {
                        tr.dQueries[q + i] += ds * tr.keys[k + i];
                        tr.dKeys[k + i] += ds * tr.queries[q + i];
                    }
                }
            }
        }
        // the three maps: dW += d^T x, and what flows back into the states they read
        Linear.backward(tr.dTop, query.dw, null, tr.dQueries, top, query.w, rows, hidden, hidden);
        java.util.Arrays.fill(tr.dMemory, 0.0);
        Linear.backward(tr.dMemory, key.dw, null, tr.dKeys, tr.memory, key.w, memoryRows, hidden, hidden);
        Linear.backward(tr.dMemory, value.dw, null, tr.dValues, tr.memory, value.w, memoryRows, hidden, hidden);
        int windowStart = attend * batch * hidden;   // memory rows from K*B on are the window's h_0..h_{T-1}
        for (int i = 0; i < rows * hidden; i++) tr.dTop[i] += tr.dMemory[windowStart + i];
    }

    /** How many of h_{t-1} .. h_{t-K} hold a state for stream b: the window's own, then the carried-in ones. */
    private int validSteps(AttentiveTrace tr, int t, int b) {
        return Math.min(attend, attend + t - tr.firstValid[b]);
    }

    /** Memory positions 0..K-1 from the carried-in past (oldest first), K..K+T-1 from the window. */
    private void fillMemory(double[] top, AttentiveState state, AttentiveTrace tr) {
        int batch = tr.batch;
        for (int b = 0; b < batch; b++) {
            tr.firstValid[b] = attend - state.count(b);
            for (int slot = 0; slot < attend; slot++) {   // slot s holds h_{-1-s}: memory position K-1-s
                int p = attend - 1 - slot;
                System.arraycopy(state.past, (b * attend + slot) * hidden, tr.memory, (p * batch + b) * hidden, hidden);
            }
        }
        System.arraycopy(top, 0, tr.memory, attend * batch * hidden, tr.steps * batch * hidden);
    }

    /** The dot product of the H values from x[xAt] and y[yAt]. */
    private double dot(double[] x, int xAt, double[] y, int yAt) {
        double s = 0;
        for (int i = 0; i < hidden; i++) s += x[xAt + i] * y[yAt + i];
        return s;
    }
}
