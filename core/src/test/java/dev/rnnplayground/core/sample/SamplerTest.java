package dev.rnnplayground.core.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.HiddenState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Writing text from a model: repeatable from a seed, greedy at temperature 0, honest about unknown symbols. */
class SamplerTest {

    private static final Vocab VOCAB = Vocab.of("abcde .");

    private static CharRnn model(CellType cell) {
        return new CharRnn(cell, VOCAB, 8, 2).initialize(9);
    }

    /** The greedy path written out: feed the prime, then always take the largest logit and feed it back. */
    private static String greedy(CharRnn model, String prime, int length) {
        HiddenState state = model.zeroState(1);
        double[] logits = model.parameter("decoder.bias").w.clone();   // from the zero state only the bias speaks
        for (int id : VOCAB.encode(prime).ids()) logits = model.step(id, state);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int best = 0;
            for (int v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
            out.append(VOCAB.symbol(best));
            logits = model.step(best, state);
        }
        return out.toString();
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void sameSeedSameTextDifferentSeedDifferentText(CellType cell) {
        CharRnn model = model(cell);
        String a = Sampler.sample(model, new SampleConfig("ab", 60, 1.0, 0, 42)).text();
        String again = Sampler.sample(model, new SampleConfig("ab", 60, 1.0, 0, 42)).text();
        String other = Sampler.sample(model, new SampleConfig("ab", 60, 1.0, 0, 43)).text();
        assertEquals(60, a.length());
        assertEquals(a, again);
        assertNotEquals(a, other);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void temperatureZeroAlwaysTakesTheMostLikelySymbol(CellType cell) {
        CharRnn model = model(cell);
        String expected = greedy(model, "cab", 40);
        assertEquals(expected, Sampler.sample(model, new SampleConfig("cab", 40, 0, 0, 1)).text());
        assertEquals(expected, Sampler.sample(model, new SampleConfig("cab", 40, 0, 0, 999)).text(),
                "greedy text does not depend on the seed");
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void topKOneIsGreedyAtAnyTemperature(CellType cell) {
        CharRnn model = model(cell);
        String expected = greedy(model, "e.", 40);
        assertEquals(expected, Sampler.sample(model, new SampleConfig("e.", 40, 1.0, 1, 5)).text());
        assertEquals(expected, Sampler.sample(model, new SampleConfig("e.", 40, 3.0, 1, 6)).text());
    }

    @Test
    void anEmptyPrimeStartsFromTheZeroState() {
        CharRnn model = model(CellType.LSTM);
        assertEquals(greedy(model, "", 10), Sampler.sample(model, new SampleConfig("", 10, 0, 0, 1)).text());
    }

    @Test
    void drawsFollowTheModelsProbabilities() {
        CharRnn model = model(CellType.GRU);
        Generator probe = new Generator(model, 1.0, 0, 0);
        probe.feed("dab");
        double[] p = probe.probabilities();
        int draws = 20_000;
        int[] counts = new int[VOCAB.size()];
        for (int seed = 0; seed < draws; seed++) {
            Generator g = new Generator(model, 1.0, 0, seed);
            g.feed("dab");
            counts[g.next()]++;
        }
        for (int v = 0; v < p.length; v++) {
            // 4 standard errors of a frequency out of 20000 draws is at most 0.0142
            assertEquals(p[v], counts[v] / (double) draws, 0.0142, "symbol " + VOCAB.symbol(v));
        }
    }

    @Test
    void topKDrawsOnlyAmongTheKMostLikely() {
        CharRnn model = model(CellType.RNN);
        Generator probe = new Generator(model, 1.0, 0, 0);
        probe.feed("a");
        List<Sampler.Candidate> top2 = Sampler.topCandidates(VOCAB, probe.probabilities(), 2);
        double kept = top2.get(0).probability() + top2.get(1).probability();
        int draws = 20_000;
        int first = 0;
        for (int seed = 0; seed < draws; seed++) {
            Generator g = new Generator(model, 1.0, 2, seed);
            g.feed("a");
            String symbol = VOCAB.symbol(g.next());
            assertTrue(symbol.equals(top2.get(0).symbol()) || symbol.equals(top2.get(1).symbol()), symbol);
            if (symbol.equals(top2.get(0).symbol())) first++;
        }
        assertEquals(top2.get(0).probability() / kept, first / (double) draws, 0.0142, "renormalised over the two kept");
    }

    @Test
    void aPrimeWithNoKnownSymbolIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sampler.sample(model(CellType.LSTM), new SampleConfig("xyz", 10, 1.0, 0, 1)));
        assertTrue(e.getMessage().contains("no symbol the model knows"), e.getMessage());
        assertTrue(e.getMessage().contains("xyz"), "names the unknown symbols: " + e.getMessage());
    }

    @Test
    void unknownSymbolsInAPrimeAreSkippedAndReported() {
        CharRnn model = model(CellType.LSTM);
        Sampler.Sample sample = Sampler.sample(model, new SampleConfig("caXb!", 20, 0, 0, 1));
        assertEquals(List.of("!", "X"), sample.skippedSymbols());
        assertEquals(greedy(model, "cab", 20), sample.text(), "the model read the prime without the unknown symbols");
    }

    @Test
    void predictionListsTheMostLikelyNextSymbolsFirst() {
        CharRnn model = model(CellType.LSTM);
        Sampler.Prediction prediction = Sampler.predict(model, "bad", VOCAB.size());
        HiddenState state = model.zeroState(1);
        double[] logits = null;
        for (int id : VOCAB.encode("bad").ids()) logits = model.step(id, state);
        double[] p = Generator.softmax(logits, 1.0);
        double sum = 0;
        for (int i = 0; i < prediction.candidates().size(); i++) {
            Sampler.Candidate c = prediction.candidates().get(i);
            assertEquals(p[VOCAB.indexOf(c.symbol().codePointAt(0))], c.probability(), 1e-15);
            if (i > 0) assertTrue(c.probability() <= prediction.candidates().get(i - 1).probability());
            sum += c.probability();
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(3, Sampler.predict(model, "bad", 3).candidates().size());
    }

    @Test
    void softmaxTemperatureSharpensOrFlattens() {
        double[] z = {1, 2, 3};
        double e1 = Math.exp(1), e2 = Math.exp(2), e3 = Math.exp(3);
        assertArrayEquals(new double[] {e1 / (e1 + e2 + e3), e2 / (e1 + e2 + e3), e3 / (e1 + e2 + e3)},
                Generator.softmax(z, 1.0), 1e-15);
        // temperature 0.5 doubles the logits
        double f1 = Math.exp(2), f2 = Math.exp(4), f3 = Math.exp(6);
        assertArrayEquals(new double[] {f1 / (f1 + f2 + f3), f2 / (f1 + f2 + f3), f3 / (f1 + f2 + f3)},
                Generator.softmax(z, 0.5), 1e-15);
    }

    @Test
    void badSettingsAreRejected() {
        CharRnn model = model(CellType.RNN);
        assertThrows(IllegalArgumentException.class, () -> new Generator(model, -1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Generator(model, Double.NaN, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Generator(model, 1, -1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Sampler.sample(model, new SampleConfig("a", SampleConfig.MAX_LENGTH + 1, 1, 0, 1)));
    }

    @org.junit.jupiter.api.Test
    void theDrawDistributionFollowsTemperatureAndTopK() {
        double[] logits = {2.0, 1.0, 0.5, 0.0, -1.0};
        double[] p = Generator.drawDistribution(logits, 0.5, 3);
        // softmax(z / 0.5) over the three largest logits only: exp(4), exp(2), exp(1) over their sum
        double sum = Math.exp(4) + Math.exp(2) + Math.exp(1);
        assertArrayEquals(new double[] {Math.exp(4) / sum, Math.exp(2) / sum, Math.exp(1) / sum, 0, 0}, p, 1e-15);
        assertArrayEquals(new double[] {1, 0, 0, 0, 0}, Generator.drawDistribution(logits, 0, 0), 0);
        assertArrayEquals(Generator.softmax(logits, 2), Generator.drawDistribution(logits, 2, 0), 0);
    }
}
