package dev.rnnplayground.client;

import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.Generator;
import java.util.function.IntFunction;

/**
 * One writing session of the page: a core {@link Generator} and the model it writes with. A
 * session is the very code path {@code Sampler.sample} takes on the server and in
 * {@code ./rnn sample}, fed the prime symbol by symbol, so the page writes the same text from the
 * same model, prime, settings and seed. {@link BrowserEntry} finds a session by its handle
 * ({@link Handles}) and asks it for the next symbol and for what the model holds after the last
 * one; those views come back as flat arrays of numbers, layer after layer, because an array is the
 * richest thing the page takes.
 */
record WritingSession(LanguageModel model, Generator generator) {

    /**
     * Starts writing with a loaded model from the all-zero state.
     *
     * @return the session's handle, or 0 when the model is unknown or the settings are bad ({@link LastError})
     */
    static int start(int modelHandle, double temperature, int topK, String seed) {
        LanguageModel m = Handles.model(modelHandle);
        if (m == null) return LastError.fail("no model with handle " + modelHandle);
        try {
            long s = Long.parseLong(seed.trim());
            int handle = Handles.addSession(new WritingSession(m, new Generator(m, temperature, topK, s)));
            LastError.clear();
            return handle;
        } catch (NumberFormatException e) {
            return LastError.fail("the seed must be a whole number, got \"" + seed + "\"");
        } catch (RuntimeException e) {
            return LastError.fail(e);
        }
    }

    /** Reads the first code point of {@code symbol}; false when the model does not know it (skipped, as the server skips it). */
    boolean feed(String symbol) {
        if (symbol.isEmpty()) return false;
        // the method Sampler feeds its prime through, one symbol at a time
        return generator.feed(symbol.substring(0, Character.charCount(symbol.codePointAt(0)))).ids().length > 0;
    }

    String next() {
        return model.vocab().symbol(generator.next());
    }

    double[] probabilities() {
        return generator.probabilities();
    }

    /** Empty for a temperature below 0 (or not a number) or a negative top-k, which the sampler would refuse. */
    double[] drawDistribution(double temperature, int topK) {
        if (!(temperature >= 0) || topK < 0) return new double[0];
        return Generator.drawDistribution(generator.logits(), temperature, topK);
    }

    /** (layers * G * H); empty for a model that is not a recurrent network. */
    double[] gates() {
        if (!(model instanceof CharRnn m)) return new double[0];
        return stackLayers(m, m.cell().gates() * m.hiddenSize(), generator::gates);
    }

    /** (layers * H); empty for a model that is not a recurrent network. */
    double[] hidden() {
        if (!(model instanceof CharRnn m)) return new double[0];
        return stackLayers(m, m.hiddenSize(), generator::hidden);
    }

    /** (layers * H); empty but for an LSTM, the one cell with a cell state. */
    double[] cellState() {
        if (!(model instanceof CharRnn m) || generator.cellState(0) == null) return new double[0];
        return stackLayers(m, m.hiddenSize(), generator::cellState);
    }

    /** {layers, heads, positions, newestBack} then the weights; empty for a model that does not attend, or before the first symbol. */
    double[] attention() {
        AttentionWeights a = generator.attention();
        if (a == null) return new double[0];
        double[] out = new double[4 + a.weights().length];
        out[0] = a.layers();
        out[1] = a.heads();
        out[2] = a.positions();
        out[3] = a.newestBack();
        System.arraycopy(a.weights(), 0, out, 4, a.weights().length);
        return out;
    }

    /** Every layer's {@code width} values one after the other, bottom layer first. */
    private static double[] stackLayers(CharRnn m, int width, IntFunction<double[]> layer) {
        double[] out = new double[m.numLayers() * width];
        for (int l = 0; l < m.numLayers(); l++) System.arraycopy(layer.apply(l), 0, out, l * width, width);
        return out;
    }
}
