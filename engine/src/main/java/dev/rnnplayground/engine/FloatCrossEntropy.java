package dev.rnnplayground.engine;

/**
 * Softmax cross-entropy of rows of logits against their targets, in float32 (core's
 * {@code CrossEntropy}): what the recurrent networks and the GPT both end in.
 */
final class FloatCrossEntropy {
    private FloatCrossEntropy() {
    }

    /**
     * The loss of each of {@code rows} rows of z (rows x V, logits in) against targets[r],
     * summed, in nats. With {@code gradient}, z is left holding dLoss/dlogits = (softmax - onehot)
     * / totalRows, the gradient of the mean over all {@code totalRows} rows of the step (every
     * thread's); without, z is left holding unnormalised probabilities.
     */
    static double lossSum(float[] z, int[] targets, int rows, int vocab, boolean gradient, int totalRows) {
        double total = 0;
        float invRows = 1f / totalRows;
        for (int r = 0; r < rows; r++) {
            int base = r * vocab;
            float max = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) max = Math.max(max, z[base + v]);
            int target = targets[r];
            total += max - z[base + target];
            float sum = 0;
            for (int v = 0; v < vocab; v++) {
                float e = FastMath.exp(z[base + v] - max);
                z[base + v] = e;
                sum += e;
            }
            total += Math.log(sum);   // -log p(target) = log sum exp(z - max) + max - z_target
            if (gradient) {
                float scale = invRows / sum;
                for (int v = 0; v < vocab; v++) z[base + v] *= scale;
                z[base + target] -= invRows;
            }
        }
        return total;
    }
}
