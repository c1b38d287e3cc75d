package dev.rnnplayground.engine;

/**
 * Causal multi-head self-attention (nanoGPT's {@code CausalSelfAttention} between c_attn and
 * c_proj) for each stream b and head h, its products on OpenBLAS:
 * <pre>
 *   q, k, v = the head's columns of c_attn's output           (T, hs) each
 *   att = softmax(q k^T / sqrt(hs)), masked to j <= i          (T, T)
 *   y   = att v, written into the head's columns of y          (T, hs) of (T, C)
 * </pre>
 * and backward, in reverse:
 * <pre>
 *   dAtt = dy v^T,  dv = att^T dy
 *   dS = att * (dAtt - rowsum(dAtt * att))                     softmax backward
 *   dq = dS k / sqrt(hs),  dk = dS^T q / sqrt(hs)
 * </pre>
 * Rows are stream-major: row b*T + t. qkv holds (N, 3C): q in columns [0, C), k in [C, 2C), v in
 * [2C, 3C), head h at column offset h*hs in each. The masked entries of att are exact zeros, so
 * the full T x T products need no mask. With dropout, y = (att * keep) v, and the gradient
 * through it is scaled alike before the softmax's.
 */
final class FloatAttention {
    private FloatAttention() {
    }

    /**
     * From qkv (N x 3C, not modified): att (B*nh blocks of T x T, written: the probabilities) and
     * y (N x C, written). With dropout, keep (B*nh x T x T, not modified) scales the
     * probabilities into kept (written), which then multiplies v; both null without. scores holds
     * at least T*T floats.
     */
    static void forward(FloatArray qkv, int batch, int steps, int heads, int headSize,
                        FloatArray att, float[] keep, FloatArray kept, FloatArray y, float[] scores) {
        int c = heads * headSize, width = 3 * c, block = steps * steps;
        float scale = (float) (1.0 / Math.sqrt(headSize));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int q = b * steps * width + h * headSize, k = q + c, v = q + 2 * c;
                int probs = (b * heads + h) * block;
                NativeBlas.gemm(false, true, steps, steps, headSize, scale, qkv, q, width, qkv, k, width,
                        0f, att, probs, steps);
                att.read(probs, scores, 0, block);
                causalSoftmax(scores, steps);
                att.write(probs, scores, 0, block);
                if (keep != null) {
                    for (int j = 0; j < block; j++) scores[j] *= keep[probs + j];
                    kept.write(probs, scores, 0, block);
                }
                NativeBlas.gemm(false, false, steps, headSize, steps, 1f, keep != null ? kept : att, probs, steps,
                        qkv, v, width, 0f, y, b * steps * c + h * headSize, c);
            }
        }
    }

    /** Each row i of the T x T scores becomes softmax over j <= i, and zero beyond. */
    private static void causalSoftmax(float[] scores, int steps) {
        for (int i = 0; i < steps; i++) {
            int row = i * steps;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) max = Math.max(max, scores[row + j]);
            for (int j = 0; j <= i; j++) scores[row + j] = FastMath.expNonPositive(scores[row + j] - max);
            float sum = 0;
            for (int j = 0; j <= i; j++) sum += scores[row + j];
            float inv = 1f / sum;
            for (int j = 0; j <= i; j++) scores[row + j] *= inv;
            for (int j = i + 1; j < steps; j++) scores[row + j] = 0f;
        }
    }

    /**
     * From dy (N x C) and what forward left (qkv, att, keep and kept, the last two null without
     * dropout; none modified): dQkv (N x 3C, written). dScores is a native T x T scratch, probs
     * and grads Java scratch of at least T*T floats.
     */
    static void backward(FloatArray qkv, FloatArray att, float[] keep, FloatArray kept, FloatArray dy, int batch,
                         int steps, int heads, int headSize, FloatArray dQkv, FloatArray dScores, float[] probs,
                         float[] grads) {
        int c = heads * headSize, width = 3 * c, block = steps * steps;
        float scale = (float) (1.0 / Math.sqrt(headSize));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int q = b * steps * width + h * headSize, k = q + c, v = q + 2 * c;
                int probsAt = (b * heads + h) * block, dyAt = b * steps * c + h * headSize;
                NativeBlas.gemm(false, true, steps, steps, headSize, 1f, dy, dyAt, c, qkv, v, width,
                        0f, dScores, 0, steps);
                NativeBlas.gemm(true, false, steps, headSize, steps, 1f, keep != null ? kept : att, probsAt, steps,
                        dy, dyAt, c, 0f, dQkv, v, width);
                att.read(probsAt, probs, 0, block);
                dScores.read(0, grads, 0, block);
                if (keep != null) for (int j = 0; j < block; j++) grads[j] *= keep[probsAt + j];
                softmaxBackward(probs, grads, steps);
                dScores.write(0, grads, 0, block);
                NativeBlas.gemm(false, false, steps, headSize, steps, scale, dScores, 0, steps, qkv, k, width,
                        0f, dQkv, q, width);
                NativeBlas.gemm(true, false, steps, headSize, steps, scale, dScores, 0, steps, qkv, q, width,
                        0f, dQkv, k, width);
            }
        }
    }

    /** grads (T x T, dLoss/dAtt in, dLoss/dScores out) through each row's softmax; masked entries stay zero. */
    private static void softmaxBackward(float[] probs, float[] grads, int steps) {
        for (int i = 0; i < steps; i++) {
            int row = i * steps;
            float dot = 0;
            for (int j = 0; j <= i; j++) dot += probs[row + j] * grads[row + j];
            for (int j = 0; j <= i; j++) grads[row + j] = probs[row + j] * (grads[row + j] - dot);
            for (int j = i + 1; j < steps; j++) grads[row + j] = 0f;
        }
    }
}
