package dev.rnnplayground.core.model;

/**
 * The loss every family trains with: softmax cross-entropy of logits against the next symbol,
 * averaged over all rows, in nats (PyTorch's {@code F.cross_entropy}). One implementation, so
 * every model's loss and its gradient mean exactly the same thing.
 */
public final class CrossEntropy {
    private CrossEntropy() {
    }

    /**
     * @param logits  (R, V) row-major, not modified
     * @param targets R target symbols, one per row
     * @param dLogits (R, V) output: dLoss/dlogits = (softmax - onehot) / R
     * @return the mean of -log softmax(row)[target] over the R rows
     */
    public static double lossAndGradient(double[] logits, int[] targets, int vocabSize, double[] dLogits) {
        int rows = targets.length;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * vocabSize;
            int target = targets[r];
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocabSize; v++) max = Math.max(max, logits[base + v]);
            double sum = 0;
            for (int v = 0; v < vocabSize; v++) {
                double e = Math.exp(logits[base + v] - max);
                dLogits[base + v] = e;
                sum += e;
            }
            total += Math.log(sum) + max - logits[base + target];   // -log p(target)
            for (int v = 0; v < vocabSize; v++) dLogits[base + v] /= (sum * rows);
            dLogits[base + target] -= 1.0 / rows;
        }
        return total / rows;
    }

    /**
     * Turns dLoss/dlogits of the mean loss into the gradient of a few rows' own losses: the
     * other rows are zeroed and the kept ones multiplied by R, undoing the mean's 1/R. Backward
     * from there follows each kept prediction's loss L_t alone (windows in a batch do not mix).
     *
     * @param dLogits (R, V) as {@link #lossAndGradient} wrote it; modified
     * @param keep    the rows to keep
     */
    public static void keepOnlyRows(double[] dLogits, int[] keep, int vocabSize) {
        int rows = dLogits.length / vocabSize;
        double[][] kept = new double[keep.length][];
        for (int i = 0; i < keep.length; i++) {
            kept[i] = java.util.Arrays.copyOfRange(dLogits, keep[i] * vocabSize, (keep[i] + 1) * vocabSize);
        }
        java.util.Arrays.fill(dLogits, 0);
        for (int i = 0; i < keep.length; i++) {
            for (int v = 0; v < vocabSize; v++) dLogits[keep[i] * vocabSize + v] = kept[i][v] * rows;
        }
    }

    /** targets[b][t] as the time-major rows t*B + b the models lay their logits out in. */
    public static int[] timeMajor(int[][] targets, int steps) {
        int batch = targets.length;
        int[] rows = new int[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) rows[t * batch + b] = targets[b][t];
        }
        return rows;
    }
}
