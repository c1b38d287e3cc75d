package dev.rnnplayground.core.train;

/**
 * char-rnn's minibatch scheme: the text is cut into B contiguous streams of n = (N-1)/B symbols,
 * and each training window takes the next T symbols of every stream. Stream b reads
 * data[b*n + p .. b*n + p + T - 1] and predicts data[b*n + p + 1 .. b*n + p + T], so hidden
 * state carried from one window to the next in row b is the state of the text just before.
 * When fewer than T symbols are left, the position wraps to 0: a new epoch, and the carried state
 * must be reset.
 *
 * <p>With B = 1 the first window is data[0..T-1] against data[1..T].
 */
public final class BatchStreams implements TrainingWindows {
    private final int[] data;
    public final int batch;          // B
    public final int steps;          // T
    public final int streamLength;   // n symbols per stream
    private int position;            // p, offset into every stream of the next window

    public BatchStreams(int[] data, int batch, int steps) {
        this.data = data;
        this.batch = batch;
        this.steps = steps;
        this.streamLength = data.length < 1 ? 0 : (data.length - 1) / batch;
        if (streamLength < steps) {
            throw new IllegalArgumentException("text too short: " + data.length + " symbols give " + batch
                    + " stream(s) of " + streamLength + ", fewer than one window of " + steps
                    + " (need at least " + (batch * steps + 1) + " symbols)");
        }
    }

    /** Windows per epoch. */
    @Override
    public double windowsPerEpoch() {
        return streamLength / steps;
    }

    @Override
    public int position() {
        return position;
    }

    /**
     * Restores a saved {@link #position()}: 0 to streamLength, where streamLength is where the last
     * window of an epoch that fills its streams exactly leaves it (the next window wraps).
     */
    @Override
    public void setPosition(int position) {
        if (position < 0 || position > streamLength) throw new IllegalArgumentException("position out of range: " + position);
        this.position = position;
    }

    /**
     * Fills inputs[b][t] and targets[b][t] with the next window and advances. Returns true when
     * this window starts a new pass over the data (position 0), i.e. the hidden state should be
     * reset first.
     */
    @Override
    public boolean next(int[][] inputs, int[][] targets) {
        if (position + steps > streamLength) position = 0;
        boolean fresh = position == 0;
        for (int b = 0; b < batch; b++) {
            int start = b * streamLength + position;
            System.arraycopy(data, start, inputs[b], 0, steps);
            System.arraycopy(data, start + 1, targets[b], 0, steps);
        }
        position += steps;
        return fresh;
    }
}
