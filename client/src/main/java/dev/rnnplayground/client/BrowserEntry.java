package dev.rnnplayground.client;

import dev.rnnplayground.core.CellType;
import dev.rnnplayground.core.CharRnn;
import dev.rnnplayground.core.HiddenState;
import dev.rnnplayground.core.SplitMix64;
import dev.rnnplayground.core.Vocab;
import org.teavm.jso.JSExport;

/**
 * The browser's way into rnn-core. TeaVM compiles this class, and the core code it reaches, to
 * {@code /client/rnn.js} (JavaScript) and {@code /client/rnn.wasm} (WebAssembly GC); each
 * {@link JSExport} method becomes a function of the same name in both builds.
 *
 * <p>The surface stays thin on purpose: static methods over primitives, strings and arrays, so
 * the page never holds a Java object and both builds behave the same. For now it proves that
 * core runs in the browser: an untrained model reads a text and proposes the next character.
 */
public final class BrowserEntry {

    private BrowserEntry() {
    }

    /** How many distinct symbols (Unicode code points) a text contains: its vocabulary size. */
    @JSExport
    public static int vocabSize(String text) {
        return Vocab.of(text).size();
    }

    /**
     * A freshly initialized model over the text's own vocabulary reads the text one symbol at a
     * time; returns its logits for the symbol after the last one (V, in vocabulary order).
     *
     * @param cell "rnn", "lstm" or "gru"
     */
    @JSExport
    public static double[] nextLogits(String text, String cell, int hiddenSize, int layers, int seed) {
        Vocab vocab = Vocab.of(text);
        CharRnn model = new CharRnn(CellType.parse(cell), vocab, hiddenSize, layers).initialize(seed);
        HiddenState state = model.zeroState(1);
        double[] logits = null;
        for (int symbol : vocab.encode(text).ids()) {
            logits = model.step(symbol, state);
        }
        if (logits == null) throw new IllegalArgumentException("text is empty");
        return logits;
    }

    /**
     * As {@link #nextLogits}, then draws the next symbol: the most likely one at temperature 0,
     * otherwise from softmax(logits / temperature) with a generator seeded by {@code seed}.
     */
    @JSExport
    public static String sampleNext(String text, String cell, int hiddenSize, int layers, int seed,
                                    double temperature) {
        double[] logits = nextLogits(text, cell, hiddenSize, layers, seed);
        int symbol = temperature <= 0 ? argmax(logits) : draw(logits, temperature, new SplitMix64(seed));
        return Vocab.of(text).symbol(symbol);
    }

    private static int argmax(double[] logits) {
        int best = 0;
        for (int v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
        return best;
    }

    private static int draw(double[] logits, double temperature, SplitMix64 rng) {
        double max = logits[argmax(logits)];
        double[] weights = new double[logits.length];
        double sum = 0;
        for (int v = 0; v < logits.length; v++) {
            weights[v] = Math.exp((logits[v] - max) / temperature);
            sum += weights[v];
        }
        double u = rng.nextDouble() * sum;
        for (int v = 0; v < logits.length; v++) {
            u -= weights[v];
            if (u < 0) return v;
        }
        return logits.length - 1;   // only reached through rounding
    }
}
