package dev.rnnplayground.core.sample;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.util.Deadline;
import java.util.ArrayList;
import java.util.List;

/** Whole-text sampling and next-character prediction, the two things a user asks a model. */
public final class Sampler {
    /** The written text (without the prime) and the prime's symbols the model does not know. */
    public record Sample(String text, List<String> skippedSymbols) {
    }

    public record Candidate(String symbol, double probability) {
    }

    /** Next-character probabilities after a prime, most likely first. */
    public record Prediction(List<Candidate> candidates, List<String> skippedSymbols) {
    }

    private Sampler() {
    }

    public static Sample sample(LanguageModel model, SampleConfig o) {
        return sample(model, o, Deadline.NONE);
    }

    /** As {@link #sample(LanguageModel, SampleConfig)}, giving up (between symbols) when the deadline passes. */
    public static Sample sample(LanguageModel model, SampleConfig o, Deadline deadline) {
        return write(model.vocab(), new Generator(model, o.temperature(), o.topK(), o.seed()), o.prime(), o.length(), deadline);
    }

    /**
     * Has {@code writer} (which holds the temperature, top-k and seed) read the prime and write
     * {@code length} symbols of {@code vocab}, giving up (between symbols) when the deadline passes.
     */
    public static Sample write(Vocab vocab, TextWriter writer, String prime, int length, Deadline deadline) {
        if (length < 0 || length > SampleConfig.MAX_LENGTH) {
            throw new IllegalArgumentException("length must be 0 to " + SampleConfig.MAX_LENGTH + ", got " + length);
        }
        Vocab.Encoded primed = feedPrime(vocab, writer, prime, deadline);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            deadline.check();
            out.appendCodePoint(vocab.codePoint(writer.next()));
        }
        return new Sample(out.toString(), primed.skippedSymbols());
    }

    public static Prediction predict(LanguageModel model, String prime, int top) {
        return predict(model, prime, top, Deadline.NONE);
    }

    /** As {@link #predict(LanguageModel, String, int)}, giving up (between symbols of the prime) when the deadline passes. */
    public static Prediction predict(LanguageModel model, String prime, int top, Deadline deadline) {
        if (top < 1) throw new IllegalArgumentException("top must be at least 1, got " + top);
        Generator g = new Generator(model, 1, 0, 0);
        Vocab.Encoded primed = feedPrime(model.vocab(), g, prime, deadline);
        return new Prediction(topCandidates(model.vocab(), g.probabilities(), top), primed.skippedSymbols());
    }

    /** The {@code top} most probable symbols, most likely first (ties: lower index first). */
    public static List<Candidate> topCandidates(Vocab vocab, double[] p, int top) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < Math.min(top, p.length); i++) out.add(new Candidate(vocab.symbol(order[i]), p[order[i]]));
        return out;
    }

    /** A non-empty prime must hold at least one known symbol, or nothing it says would reach the model. */
    private static Vocab.Encoded feedPrime(Vocab vocab, TextWriter writer, String prime, Deadline deadline) {
        Vocab.Encoded encoded = vocab.encode(prime == null ? "" : prime);
        for (int id : encoded.ids()) {
            deadline.check();
            writer.feed(id);
        }
        if (prime != null && !prime.isEmpty() && encoded.ids().length == 0) {
            throw new IllegalArgumentException("the prime has no symbol the model knows (unknown: "
                    + String.join("", encoded.skippedSymbols()) + ")");
        }
        return encoded;
    }
}
