package dev.rnnplayground.core.attend;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.HiddenState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an {@link AttentiveLstm} carries from one window to the next (and from one character to the
 * next while writing): the LSTM's h and c for every layer, and the last K states of its top layer,
 * which the next steps attend over. The past states flow on like h and c; their gradient stops at
 * the window's edge, as h's does (truncated BPTT).
 *
 * <p>At the start of a text there is no past yet: {@link #PAST_COUNT} says how many of the K slots
 * hold a state, per stream; the attention masks the rest.
 */
public final class AttentiveState implements LanguageModel.CarriedState {
    /** The name of the past states' tensor: (B, K*H), slot j-1 of stream b holding h_{t-j}. */
    public static final String PAST = "past";
    /** The name of the valid-slot counts' tensor: (B, 1), 0 to K, as a double so checkpoints store it with the rest. */
    public static final String PAST_COUNT = "past_count";

    final HiddenState lstm;
    final int attend;        // K
    final int hidden;        // H
    final double[] past;     // (B, K*H) row b: h_{t-1}, h_{t-2}, ..., h_{t-K} of stream b, newest first
    final double[] count;    // (B) how many of the K slots of stream b hold a state

    AttentiveState(HiddenState lstm, int attend, int hidden) {
        this.lstm = lstm;
        this.attend = attend;
        this.hidden = hidden;
        this.past = new double[lstm.batch * attend * hidden];
        this.count = new double[lstm.batch];
    }

    public int batch() {
        return lstm.batch;
    }

    /** How many past states stream b holds (0 to K). */
    int count(int b) {
        return (int) count[b];
    }

    /** Forgets everything: zero h and c, no past states. */
    @Override
    public void reset() {
        lstm.reset();
        java.util.Arrays.fill(past, 0);
        java.util.Arrays.fill(count, 0);
    }

    @Override
    public AttentiveState copy() {
        AttentiveState s = new AttentiveState(lstm.copy(), attend, hidden);
        System.arraycopy(past, 0, s.past, 0, past.length);
        System.arraycopy(count, 0, s.count, 0, count.length);
        return s;
    }

    /** h_l{k} and c_l{k} of the LSTM, then {@link #PAST} and {@link #PAST_COUNT}: live views, as checkpoints store them. */
    @Override
    public Map<String, double[]> tensors() {
        Map<String, double[]> tensors = new LinkedHashMap<>(lstm.tensors());
        tensors.put(PAST, past);
        tensors.put(PAST_COUNT, count);
        return tensors;
    }

    /**
     * After a window of T steps whose top-layer states were h_0..h_{T-1} (rows t*B + b of
     * {@code top}, (T*B, H)), the K newest states become the past: the window's own, newest first,
     * then what is left of the old past.
     */
    void advance(double[] top, int steps) {
        int batch = lstm.batch;
        double[] old = past.clone();
        for (int b = 0; b < batch; b++) {
            int oldCount = count(b);
            for (int slot = 0; slot < attend; slot++) {
                int t = steps - 1 - slot;                 // the window's step this slot now holds
                int to = (b * attend + slot) * hidden;
                if (t >= 0) {
                    System.arraycopy(top, (t * batch + b) * hidden, past, to, hidden);
                } else if (-t - 1 < oldCount) {
                    System.arraycopy(old, (b * attend - t - 1) * hidden, past, to, hidden);
                } else {
                    java.util.Arrays.fill(past, to, to + hidden, 0);
                }
            }
            count[b] = Math.min(attend, oldCount + steps);
        }
    }
}
