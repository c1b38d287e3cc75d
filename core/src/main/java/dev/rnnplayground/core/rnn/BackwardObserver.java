package dev.rnnplayground.core.rnn;

import org.ejml.data.DMatrixRMaj;

/**
 * Watches backpropagation through time from outside the cells, the way a PyTorch backward hook
 * does: told, for each layer and each step t of the window (t = T-1 down to 0), the whole
 * gradient on the state that step produced, and on what the step read. The page's gradient views
 * attach one ({@link GradientNorms}); training attaches none.
 */
public interface BackwardObserver {

    /**
     * @param layer the layer, 0 at the bottom
     * @param t     the step; h_{t+1} is the state it produced
     * @param dh    (B, H) dL/dh_{t+1}: from the loss above and from the steps after t; read only
     * @param dc    (B, H) an LSTM's dL/dc_{t+1}, likewise; null for the other cells
     */
    void atStep(int layer, int t, DMatrixRMaj dh, DMatrixRMaj dc);

    /**
     * Told right after {@link #atStep} for the same step: the gradient on the input's share of
     * every gate, gi_t = x_t W_ih^T + b_ih. For layer 0 that is dL/d(W_ih x_t), the character the
     * step read as the layer sees it: the gradient reach follows it to compare families.
     *
     * @param dGi (B, G*H) dL/dgi_t; read only
     */
    default void atInput(int layer, int t, DMatrixRMaj dGi) {
    }
}
