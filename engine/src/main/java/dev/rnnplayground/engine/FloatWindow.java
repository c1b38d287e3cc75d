package dev.rnnplayground.engine;

/**
 * Everything one forward and backward pass over a window of up to T steps and B streams uses:
 * each layer's {@link LayerBuffers}, the logits and their gradient. Made once per window shape
 * (one for training, one for evaluation) and reused; it also carries the hidden state from one
 * window to the next (in each layer's h[0]).
 */
final class FloatWindow {
    final int maxSteps;           // T
    final int batch;              // B
    final LayerBuffers[] layers;
    final FloatArray logits;      // T*B x V
    final FloatArray dLogits;     // T*B x V (training only)
    final FloatArray dTop;        // T*B x H: dLoss/dh_t of the top layer (training only)
    final int[] targets;          // [T*B]
    final double[] maskScratch;   // T*B*H, for DropoutMask (dropout only)
    final float[] dropScratch;    // T*B*H (dropout only)
    final float[] scores;         // T*B x V: the logits, then the softmax, then its gradient
    final float[] decoderBias;    // V
    final float[] decoderBiasGrad;  // V
    boolean dropoutUsed;          // whether the last forward pass dropped units between layers

    FloatWindow(FloatNetwork net, int maxSteps, int batch, boolean training, boolean dropout) {
        this.maxSteps = maxSteps;
        this.batch = batch;
        int rows = maxSteps * batch, vocab = net.vocabSize, hidden = net.hiddenSize;
        layers = new LayerBuffers[net.layers.length];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new LayerBuffers(net.layers[l], maxSteps, batch, training, dropout);
        }
        logits = new FloatArray(rows * vocab);
        dLogits = training ? new FloatArray(rows * vocab) : null;
        dTop = training ? new FloatArray(rows * hidden) : null;
        targets = new int[rows];
        maskScratch = dropout ? new double[rows * hidden] : null;
        dropScratch = dropout ? new float[rows * hidden] : null;
        scores = new float[rows * vocab];
        decoderBias = new float[vocab];
        decoderBiasGrad = new float[vocab];
    }

    void resetState(int hidden) {
        for (LayerBuffers b : layers) b.resetState(hidden);
    }
}
