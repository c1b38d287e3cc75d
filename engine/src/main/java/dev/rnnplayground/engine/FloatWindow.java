package dev.rnnplayground.engine;

/**
 * Everything one forward and backward pass over a window of up to T steps and B streams uses:
 * each layer's {@link LayerBuffers}, the logits and their gradient. Made once per window shape
 * (one for evaluation, one per training thread) and reused; it also carries the hidden state from
 * one window to the next (in each layer's h[0]).
 *
 * <p>When training splits the batch across threads, each thread has a window for its own streams
 * {@code first .. first+batch-1} of the whole batch, and all but the first accumulate their
 * gradients into arrays of their own, added to the parameters' in a fixed order afterwards.
 */
final class FloatWindow {
    final int maxSteps;           // T
    final int batch;              // B: this window's streams
    final int first;              // the first of them, in the whole batch
    final int totalBatch;         // the whole batch's streams (where this window's rows sit in a dropout mask)
    final FloatArray[] grads;     // per parameter (FloatNetwork.params' order): where gradients accumulate
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

    /** A window of the whole batch whose gradients go into the parameters' own arrays. */
    FloatWindow(FloatNetwork net, int maxSteps, int batch, boolean training, boolean dropout) {
        this(net, maxSteps, 0, batch, batch, training, dropout, false);
    }

    /**
     * A window of streams {@code first .. first+batch-1} of {@code totalBatch}; with
     * {@code ownGradients} its gradients accumulate in arrays of its own.
     */
    FloatWindow(FloatNetwork net, int maxSteps, int first, int batch, int totalBatch, boolean training,
                boolean dropout, boolean ownGradients) {
        this.maxSteps = maxSteps;
        this.batch = batch;
        this.first = first;
        this.totalBatch = totalBatch;
        int rows = maxSteps * batch, vocab = net.vocabSize, hidden = net.hiddenSize;
        grads = new FloatArray[net.params.size()];
        for (int i = 0; i < grads.length; i++) {
            FloatParam p = net.params.get(i);
            grads[i] = ownGradients && training ? new FloatArray(p.size()) : p.dw;
        }
        layers = new LayerBuffers[net.layers.length];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new LayerBuffers(net.layers[l], maxSteps, batch, training, dropout);
            layers[l].grads = java.util.Arrays.copyOfRange(grads, 4 * l, 4 * l + 4);
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
