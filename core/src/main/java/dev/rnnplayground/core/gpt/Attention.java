package dev.rnnplayground.core.gpt;

/**
 * Causal multi-head self-attention, the core of nanoGPT's {@code CausalSelfAttention} between its
 * two Linear layers (c_attn makes q, k, v; c_proj mixes the heads): for each head h of size
 * hs = C / NH and each position t,
 * <pre>
 *   score_t2 = q_t . k_t2 / sqrt(hs)          for t2 <= t (the causal mask: no look ahead)
 *   p        = softmax(score)                 the attention weights, kept for backward
 *   y_t      = sum over t2 of p_t2 * v_t2     (p through dropout while training)
 * </pre>
 * Layout as llm.c's {@code attention_forward}: qkv is (B, T, 3C) with q, k, v in that order
 * along the 3C outputs and head h at offset h*hs inside each; the weights are (B, NH, T, T).
 * Public, as {@link Gelu} and {@link Encoder} are, so that core's lab composes the models of the
 * ablation ladder (bigram to GPT, {@code lab.AblatedGpt}) from these kernels rather than copies.
 */
public final class Attention {
    private Attention() {
    }

    /**
     * @param out   (B, T, C) output: every head's y side by side
     * @param probs (B, NH, T, T) output: the attention weights (0 above the diagonal)
     * @param qkv   (B, T, 3C) not modified
     * @param keep  (B, NH, T, T) dropout scale on the weights (0 or 1/(1-p)), or null: not modified
     */
    public static void forward(double[] out, double[] probs, double[] qkv, double[] keep, int batch, int steps, int channels,
                        int heads) {
        int headSize = channels / heads;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int h = 0; h < heads; h++) {
                    int query = (b * steps + t) * 3 * channels + h * headSize;
                    int firstKey = b * steps * 3 * channels + channels + h * headSize;
                    int row = ((b * heads + h) * steps + t) * steps;
                    java.util.Arrays.fill(probs, row, row + steps, 0.0);
                    attend(qkv, query, qkv, firstKey, qkv, firstKey + channels, 3 * channels, t + 1, headSize,
                            probs, row, keep, out, (b * steps + t) * channels + h * headSize);
                }
            }
        }
    }

    /**
     * One query of one head over {@code count} keys and values (the kernel that training's
     * {@link #forward} and writing's key/value cache share, so both compute the same sums):
     * keys[kOff + t2*stride ...] and values[vOff + t2*stride ...] hold key and value t2 (hs values
     * each). Writes the weights to probs[pOff .. pOff+count) and y to out[outOff .. outOff+hs).
     * Its three steps are separate methods so that {@link AttentionSteps} can show each one.
     */
    static void attend(double[] q, int qOff, double[] keys, int kOff, double[] values, int vOff, int stride, int count,
                       int headSize, double[] probs, int pOff, double[] keep, double[] out, int outOff) {
        scores(q, qOff, keys, kOff, stride, count, headSize, probs, pOff);
        softmax(probs, pOff, count);
        weightedSum(probs, pOff, keep, values, vOff, stride, count, headSize, out, outOff);
    }

    /**
     * score_t2 = q . k_t2 / sqrt(hs) for t2 < count, into scores[sOff .. sOff+count): how well
     * each key matches the query, scaled so that the scores' spread does not grow with hs.
     * q, keys not modified; strides as in {@link #attend}.
     */
    static void scores(double[] q, int qOff, double[] keys, int kOff, int stride, int count, int headSize,
                       double[] scores, int sOff) {
        double scale = 1 / Math.sqrt(headSize);
        for (int t2 = 0; t2 < count; t2++) {
            double dot = 0;
            int key = kOff + t2 * stride;
            for (int i = 0; i < headSize; i++) dot += q[qOff + i] * keys[key + i];
            scores[sOff + t2] = dot * scale;
        }
    }

    /**
     * In place, x[off .. off+count) becomes softmax(x): exp(x - max) / sum. Subtracting the max
     * changes nothing mathematically and keeps exp from overflowing.
     */
    static void softmax(double[] x, int off, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t2 = 0; t2 < count; t2++) max = Math.max(max, x[off + t2]);
        double sum = 0;
        for (int t2 = 0; t2 < count; t2++) {
            x[off + t2] = Math.exp(x[off + t2] - max);
            sum += x[off + t2];
        }
        for (int t2 = 0; t2 < count; t2++) x[off + t2] /= sum;
    }

    /**
     * out[outOff .. outOff+hs) = sum over t2 < count of p_t2 * v_t2 (p times its dropout scale
     * when keep is not null). probs, keep, values not modified; strides as in {@link #attend}.
     */
    static void weightedSum(double[] probs, int pOff, double[] keep, double[] values, int vOff, int stride, int count,
                            int headSize, double[] out, int outOff) {
        for (int i = 0; i < headSize; i++) out[outOff + i] = 0;
        for (int t2 = 0; t2 < count; t2++) {
            double weight = keep == null ? probs[pOff + t2] : probs[pOff + t2] * keep[pOff + t2];
            int value = vOff + t2 * stride;
            for (int i = 0; i < headSize; i++) out[outOff + i] += weight * values[value + i];
        }
    }

    /**
     * Adds into dqkv (B, T, 3C) the gradients that dout (B, T, C) implies, from forward's qkv,
     * weights and dropout scale (not modified). {@code dprobs} is scratch of T values.
     */
    public static void backward(double[] dqkv, double[] dout, double[] qkv, double[] probs, double[] keep, double[] dprobs,
                         int batch, int steps, int channels, int heads) {
        int headSize = channels / heads;
        double scale = 1 / Math.sqrt(headSize);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int h = 0; h < heads; h++) {
                    int query = (b * steps + t) * 3 * channels + h * headSize;
                    int row = ((b * heads + h) * steps + t) * steps;
                    int dy = (b * steps + t) * channels + h * headSize;
                    // through y = sum p_t2 v_t2: the weights' and the values' gradients
                    for (int t2 = 0; t2 <= t; t2++) {
                        int value = (b * steps + t2) * 3 * channels + 2 * channels + h * headSize;
                        double kept = keep == null ? 1 : keep[row + t2];
                        double dp = 0;
                        for (int i = 0; i < headSize; i++) {
                            dp += dout[dy + i] * qkv[value + i];
                            dqkv[value + i] += probs[row + t2] * kept * dout[dy + i];
                        }
                        dprobs[t2] = dp * kept;
                    }
                    // through the softmax: dscore = p * (dp - sum(p * dp))
                    double weighted = 0;
                    for (int t2 = 0; t2 <= t; t2++) weighted += probs[row + t2] * dprobs[t2];
                    // through score = q . k / sqrt(hs)
                    for (int t2 = 0; t2 <= t; t2++) {
                        double dscore = probs[row + t2] * (dprobs[t2] - weighted) * scale;
                        int key = (b * steps + t2) * 3 * channels + channels + h * headSize;
                        for (int i = 0; i < headSize; i++) {
                            dqkv[query + i] += dscore * qkv[key + i];
                            dqkv[key + i] += dscore * qkv[query + i];
                        }
                    }
                }
            }
        }
    }
}
