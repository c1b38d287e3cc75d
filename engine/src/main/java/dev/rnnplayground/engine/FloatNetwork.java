package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.DropoutMask;
import java.util.ArrayList;
import java.util.List;

/**
 * core's {@link CharRnn} in float32: the same stack of layers and linear decoder, the same loss
 * (softmax cross-entropy, mean over batch and time, in nats), the same truncated BPTT, with
 * every product on OpenBLAS and the decoder and its gradients done once for the whole window.
 */
final class FloatNetwork {
    final int vocabSize;
    final int hiddenSize;
    final FloatLayer[] layers;
    final FloatParam decoderWeight;   // (V, H)
    final FloatParam decoderBias;     // (V)
    final List<FloatParam> params = new ArrayList<>();

    FloatNetwork(CharRnn reference) {
        vocabSize = reference.vocab().size();
        hiddenSize = reference.hiddenSize();
        List<Param> ref = reference.parameters();
        layers = new FloatLayer[reference.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = FloatLayer.create(reference.cell(), ref.subList(4 * l, 4 * l + 4),
                    l == 0 ? vocabSize : hiddenSize, hiddenSize, l == 0);
            params.addAll(List.of(layers[l].params()));
        }
        decoderWeight = new FloatParam(ref.get(4 * layers.length), false);
        decoderBias = new FloatParam(ref.get(4 * layers.length + 1), false);
        params.add(decoderWeight);
        params.add(decoderBias);
    }

    /**
     * Forward over {@code steps} steps of {@code inputs[b][t]} (the window's streams b from
     * w.first on) from the state in each layer's h[0], with dropout between layers when {@code dropout > 0} (masks of training step
     * {@code step}). Leaves the logits (bias included) in the window.
     */
    void forward(FloatWindow w, int[][] inputs, int steps, double dropout, long seed, long step) {
        int batch = w.batch, width0 = layers[0].gates * hiddenSize;
        LayerBuffers bottom = w.layers[0];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) bottom.inputRow[t * batch + b] = inputs[w.first + b][t] * width0;
        }
        FloatArray x = null;
        int xOff = 0;
        w.dropoutUsed = dropout > 0 && layers.length > 1;
        for (int l = 0; l < layers.length; l++) {
            LayerBuffers buf = w.layers[l];
            if (l > 0 && w.dropoutUsed) {
                x = dropInputs(w, l, x, xOff, steps, dropout, seed, step);
                xOff = 0;
            }
            layers[l].forward(buf, steps, x, xOff);
            x = buf.h;
            xOff = batch * hiddenSize;   // h_1 .. h_T
        }
        // the decoder over the whole window: logits = H_top W_dec^T
        NativeBlas.gemm(false, true, steps * batch, vocabSize, hiddenSize, 1f, x, xOff, hiddenSize,
                decoderWeight.w, 0, hiddenSize, 0f, w.logits, 0, vocabSize);
    }

    /** Layer l's input after dropout: (the layer below's outputs) * mask, the mask kept for backward. */
    private FloatArray dropInputs(FloatWindow w, int l, FloatArray below, int belowOff, int steps, double p,
                                  long seed, long step) {
        LayerBuffers buf = w.layers[l];
        int n = steps * w.batch * hiddenSize, rowSize = w.batch * hiddenSize;
        for (int t = 0; t < steps; t++) {   // this window's streams' part of the whole batch's mask, as the reference draws it
            DropoutMask.fill(seed, step, l - 1, p, (long) (t * w.totalBatch + w.first) * hiddenSize, w.maskScratch, t * rowSize, rowSize);
        }
        float[] mask = buf.dropMask, values = w.dropScratch;
        for (int i = 0; i < n; i++) mask[i] = (float) w.maskScratch[i];
        below.read(belowOff, values, 0, n);
        for (int i = 0; i < n; i++) values[i] *= mask[i];
        buf.dropped.write(0, values, 0, n);
        return buf.dropped;
    }

    /**
     * Softmax cross-entropy of the window's logits against targets (row t*B+b), summed over the
     * rows, in nats; with {@code gradient}, writes dLoss/dlogits = (softmax - onehot) / totalRows,
     * the gradient of the mean over all {@code totalRows} rows of the step (every thread's).
     */
    double lossSum(FloatWindow w, int steps, boolean gradient, int totalRows) {
        int rows = steps * w.batch, size = rows * vocabSize;
        float[] z = w.scores, bias = w.decoderBias;
        w.logits.read(0, z, 0, size);
        decoderBias.w.read(0, bias, 0, vocabSize);
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < vocabSize; v++) z[r * vocabSize + v] += bias[v];
        }
        double total = FloatCrossEntropy.lossSum(z, w.targets, rows, vocabSize, gradient, totalRows);
        if (gradient) w.dLogits.write(0, z, 0, size);
        return total;
    }

    /** Backpropagation through the decoder and down the stack; accumulates into every gradient. */
    void backward(FloatWindow w, int steps) {
        int rows = steps * w.batch, top = layers.length - 1, outputsOff = w.batch * hiddenSize;
        LayerBuffers topBuf = w.layers[top];
        NativeBlas.gemm(true, false, vocabSize, hiddenSize, rows, 1f, w.dLogits, 0, vocabSize,
                topBuf.h, outputsOff, hiddenSize, 1f, w.grads[4 * layers.length], 0, hiddenSize);
        java.util.Arrays.fill(w.decoderBiasGrad, 0f);
        FloatLayer.addRows(w.scores, rows, vocabSize, w.decoderBiasGrad);   // scores hold dLoss/dlogits after loss()
        FloatLayer.addToRow(w.grads[4 * layers.length + 1], 0, w.decoderBiasGrad, 0, vocabSize, w.decoderBias);
        NativeBlas.gemm(false, false, rows, hiddenSize, vocabSize, 1f, w.dLogits, 0, vocabSize,
                decoderWeight.w, 0, hiddenSize, 0f, w.dTop, 0, hiddenSize);
        FloatArray dOut = w.dTop;
        for (int l = top; l >= 0; l--) {
            LayerBuffers buf = w.layers[l];
            FloatArray x = null;
            int xOff = 0;
            if (l > 0) {
                boolean dropped = w.dropoutUsed;
                x = dropped ? buf.dropped : w.layers[l - 1].h;
                xOff = dropped ? 0 : outputsOff;
            }
            layers[l].backward(buf, steps, dOut, x, xOff);
            if (l > 0) {
                dOut = buf.dInput;
                if (x == buf.dropped) {
                    int n = rows * hiddenSize;
                    float[] values = w.dropScratch, mask = buf.dropMask;
                    dOut.read(0, values, 0, n);
                    for (int i = 0; i < n; i++) values[i] *= mask[i];
                    dOut.write(0, values, 0, n);
                }
            }
        }
    }
}
