package dev.rnnplayground.core.sample;

import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.Attending;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.HiddenState;
import dev.rnnplayground.core.rnn.WindowTrace;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.Arrays;

/**
 * Writes text one character at a time (llama2.c's sample()): feed a prime, then repeatedly read
 * the logits for the next character, scale them by 1/temperature, keep the top k, softmax, and
 * draw with the project's own {@link SplitMix64}, so the JVM and the browser write the same text
 * from the same seed. Temperature 0 means always the most likely character.
 *
 * <p>Also exposes what the teaching views show: next-character probabilities, the hidden
 * state after every character and, for a model that attends, where it looked. One generator per thread.
 */
public final class Generator implements TextWriter {
    private final LanguageModel model;
    private final double temperature;
    private final int topK;
    private final SplitMix64 rng;
    private final LanguageModel.CarriedState state;
    private final LanguageModel.Trace scratch;
    private double[] logits;    // (V) for the next character

    public Generator(LanguageModel model, double temperature, int topK, long seed) {
        this(model, temperature, topK, new SplitMix64(seed));
    }

    public Generator(LanguageModel model, double temperature, int topK, SplitMix64 rng) {
        checkOptions(temperature, topK);
        this.model = model;
        this.temperature = temperature;
        this.topK = topK;
        this.rng = rng;
        this.state = model.zeroState(1);
        this.scratch = model.newStepTrace();
        this.logits = model.logitsBeforeAnyInput();
    }

    /** Feeds the known symbols of a text; returns what was skipped as unknown. */
    public Vocab.Encoded feed(String text) {
        Vocab.Encoded encoded = model.vocab().encode(text);
        for (int id : encoded.ids()) feed(id);
        return encoded;
    }

    /** Refuses a temperature or top-k no sampler can draw with. */
    public static void checkOptions(double temperature, int topK) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be 0 or more, got " + temperature);
        }
        if (topK < 0) throw new IllegalArgumentException("top-k must be 0 (off) or more, got " + topK);
    }

    /** Feeds one symbol (vocabulary index): the model reads it and predicts the next. */
    @Override
    public void feed(int symbol) {
        logits = model.step(symbol, state, scratch);
    }

    /** Draws the next symbol, feeds it back in, and returns it. */
    @Override
    public int next() {
        int symbol = draw(logits, temperature, topK, rng);
        feed(symbol);
        return symbol;
    }

    /** Softmax of the current logits at temperature 1: the model's own belief. */
    public double[] probabilities() {
        return softmax(logits, 1.0);
    }

    public double[] logits() {
        return logits.clone();
    }

    /** The distribution the next draw comes from: after temperature and top-k (see {@link #drawDistribution}). */
    public double[] drawDistribution() {
        return drawDistribution(logits, temperature, topK);
    }

    /**
     * What the sampler draws from, given logits: softmax(z / temperature), only the k most likely
     * kept (ties broken by lower index) and renormalised; temperature 0 puts everything on the
     * likeliest symbol.
     */
    public static double[] drawDistribution(double[] z, double temperature, int topK) {
        if (temperature == 0) {
            double[] p = new double[z.length];
            p[argmax(z)] = 1;
            return p;
        }
        double[] p = softmax(z, temperature);
        if (topK > 0 && topK < p.length) {
            Integer[] order = new Integer[p.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
            double kept = 0;
            for (int i = 0; i < topK; i++) kept += p[order[i]];
            for (int i = topK; i < order.length; i++) p[order[i]] = 0;
            for (int i = 0; i < p.length; i++) p[i] /= kept;
        }
        return p;
    }

    /** A recurrent network's layer l gate values after the last symbol fed (see {@link WindowTrace#gates}). */
    public double[] gates(int layer) {
        return ((WindowTrace) scratch).gates(layer, 0, 0);
    }

    /** A recurrent network's layer l hidden state after the last symbol fed (H values). */
    public double[] hidden(int layer) {
        return ((HiddenState) state).hidden(layer).clone();
    }

    /** A recurrent network's layer l LSTM cell state after the last symbol fed, or null. */
    public double[] cellState(int layer) {
        double[] c = ((HiddenState) state).cell(layer);
        return c == null ? null : c.clone();
    }

    /**
     * Where a model that attends looked when it read the last symbol fed (see {@link Attending}):
     * every layer's and head's weights over the positions before it; null for a model that does not
     * attend, and before the first symbol.
     */
    public AttentionWeights attention() {
        return model instanceof Attending attending ? attending.lastAttention(state, scratch) : null;
    }

    public long rngState() {
        return rng.state();
    }

    /**
     * One draw from the logits z: the likeliest symbol at temperature 0, else a symbol of
     * {@link #drawDistribution} chosen by one uniform number of {@code rng}.
     */
    public static int draw(double[] z, double temperature, int topK, SplitMix64 rng) {
        if (temperature == 0) return argmax(z);
        double[] p = drawDistribution(z, temperature, topK);
        double u = rng.nextDouble();
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) continue;
            cumulative += p[i];
            last = i;
            if (u < cumulative) return i;
        }
        return last;   // u fell in the rounding gap at the top
    }

    static int argmax(double[] z) {
        int best = 0;
        for (int i = 1; i < z.length; i++) if (z[i] > z[best]) best = i;
        return best;
    }

    /** softmax(z / temperature), computed stably. */
    public static double[] softmax(double[] z, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp((z[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }
}
