package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.Generator;
import dev.rnnplayground.core.sample.TextWriter;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.List;

/**
 * core's {@link Generator} on the fast engine: each symbol is one forward step of batch 1 on
 * OpenBLAS (a gather for the one-hot input, sgemv for h W_hh^T, the decoder) in float32, and the
 * draw is core's own ({@link Generator#draw}), so temperature, top-k and the seed mean the same.
 * The numbers differ from the float64 core's by float32 rounding, so where two symbols are nearly
 * tied the same seed can choose differently from the page and the server, which write with the
 * reference. For the command line and the benchmark.
 */
final class FastWriter implements TextWriter {
    private final FloatNetwork net;
    private final FloatWindow window;      // one step, one stream; carries the state in h[0]
    private final int[][] input = new int[1][1];
    private final double temperature;
    private final int topK;
    private final SplitMix64 rng;
    private final float[] bias;
    private final float[] scores;
    private final double[] logits;

    FastWriter(CharRnn model, double temperature, int topK, long seed) {
        Generator.checkOptions(temperature, topK);
        this.net = new FloatNetwork(model);
        List<Param> params = model.parameters();
        for (int i = 0; i < net.params.size(); i++) net.params.get(i).copyFrom(params.get(i).w, net.params.get(i).w);
        this.window = new FloatWindow(net, 1, 1, false, false);
        window.resetState(net.hiddenSize);
        this.temperature = temperature;
        this.topK = topK;
        this.rng = new SplitMix64(seed);
        this.bias = new float[net.vocabSize];
        this.scores = new float[net.vocabSize];
        net.decoderBias.w.read(0, bias, 0, bias.length);
        // before any input the hidden state is zero, so the prediction is the decoder's bias alone
        this.logits = new double[net.vocabSize];
        for (int v = 0; v < logits.length; v++) logits[v] = bias[v];
    }

    @Override
    public void feed(int symbol) {
        input[0][0] = symbol;
        net.forward(window, input, 1, 0, 0, 0);
        window.logits.read(0, scores, 0, scores.length);
        for (int v = 0; v < logits.length; v++) logits[v] = scores[v] + bias[v];
        for (LayerBuffers layer : window.layers) layer.carryForward(1, net.hiddenSize);
    }

    @Override
    public int next() {
        int symbol = Generator.draw(logits, temperature, topK, rng);
        feed(symbol);
        return symbol;
    }

    /** The logits for the next symbol (for tests). */
    double[] logits() {
        return logits.clone();
    }
}
