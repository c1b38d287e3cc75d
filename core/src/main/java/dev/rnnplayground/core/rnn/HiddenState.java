package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.model.LanguageModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * What a recurrent stack remembers between characters: for each layer the hidden state h and,
 * for an LSTM, the cell state c. Each is (B, H): one row per stream of the minibatch.
 *
 * <p>Training carries it from one BPTT window to the next (truncated BPTT: the values flow on, the
 * gradient stops at the window edge); sampling carries it from one character to the next.
 */
public final class HiddenState implements LanguageModel.CarriedState {
    public final int batch;
    final DMatrixRMaj[] h;   // [layer] (B, H)
    final DMatrixRMaj[] c;   // [layer] (B, H), null unless LSTM

    HiddenState(int layers, int batch, int hidden, boolean hasCell) {
        this.batch = batch;
        this.h = new DMatrixRMaj[layers];
        this.c = hasCell ? new DMatrixRMaj[layers] : null;
        for (int l = 0; l < layers; l++) {
            h[l] = new DMatrixRMaj(batch, hidden);
            if (hasCell) c[l] = new DMatrixRMaj(batch, hidden);
        }
    }

    /** Forgets everything: back to the all-zero state a sequence starts from. */
    @Override
    public void reset() {
        for (int l = 0; l < h.length; l++) {
            h[l].zero();
            if (c != null) c[l].zero();
        }
    }

    public int layers() {
        return h.length;
    }

    /** Layer l's hidden state, row-major (B*H); a live view, do not modify. */
    public double[] hidden(int layer) {
        return h[layer].data;
    }

    /** Layer l's LSTM cell state, row-major (B*H), or null for other cells; a live view. */
    public double[] cell(int layer) {
        return c == null ? null : c[layer].data;
    }

    /** h_l{k} and, for an LSTM, c_l{k}: each layer's (B, H) state, as checkpoints name them. */
    @Override
    public Map<String, double[]> tensors() {
        Map<String, double[]> tensors = new LinkedHashMap<>();
        for (int l = 0; l < h.length; l++) {
            tensors.put("h_l" + l, h[l].data);
            if (c != null) tensors.put("c_l" + l, c[l].data);
        }
        return tensors;
    }

    @Override
    public HiddenState copy() {
        HiddenState s = new HiddenState(h.length, batch, h[0].numCols, c != null);
        for (int l = 0; l < h.length; l++) {
            s.h[l].setTo(h[l]);
            if (c != null) s.c[l].setTo(c[l]);
        }
        return s;
    }
}
