package dev.rnnplayground.core.rnn;

import org.ejml.data.DMatrixRMaj;

/**
 * Watches backpropagation through time from outside the cells, the way a PyTorch backward hook
 * does: told, for each layer and each step t of the window (t = T-1 down to 0), the whole
 * gradient on the state that step produced. The page's gradient views attach one
 * ({@link GradientNorms}); training attaches none.
 */
public interface BackwardObserver {

    /**
     * @param layer the layer, 0 at the bottom
     * @param t     the step; h_{t+1} is the state it produced
     * @param dh    (B, H) dL/dh_{t+1}: from the loss above and from the steps after t; read only
     * @param dc    (B, H) an LSTM's dL/dc_{t+1}, likewise; null for the other cells
     */
    void atStep(int layer, int t, DMatrixRMaj dh, DMatrixRMaj dc);
}
