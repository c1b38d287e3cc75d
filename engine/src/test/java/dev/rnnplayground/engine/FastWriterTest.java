package dev.rnnplayground.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.Generator;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.core.util.Deadline;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast engine's writer against core's {@link Generator}, on random models of every cell with
 * 1 to 3 layers: after every symbol of a 300-symbol text the logits agree to 1e-5 relative (by
 * norm), and from the same seed both write the same 400 symbols, greedy and sampled.
 */
class FastWriterTest {
    static final int HIDDEN = 24;

    @BeforeAll
    static void openBlasLoads() {
        assertNull(NativeBlas.load(), "OpenBLAS must load from its Maven jar");
    }

    static Stream<Arguments> models() {
        return CellType.RECURRENT.stream().flatMap(cell -> Stream.of(1, 2, 3).map(layers -> Arguments.of(cell, layers)));
    }

    @ParameterizedTest(name = "{0}, {1} layers")
    @MethodSource("models")
    void logitsMatchTheReferenceAfterEverySymbol(CellType cell, int layers) {
        String text = TestText.make(300, 3);
        CharRnn model = new CharRnn(cell, Vocab.of(text), HIDDEN, layers).initialize(7);
        Generator reference = new Generator(model, 1, 0, 1);
        FastWriter fast = new FastWriter(model, 1, 0, 1);
        assertClose(reference.logits(), fast.logits(), "before any input");
        int[] ids = model.vocab().encode(text).ids();
        for (int t = 0; t < ids.length; t++) {
            reference.feed(ids[t]);
            fast.feed(ids[t]);
            assertClose(reference.logits(), fast.logits(), "after symbol " + t);
        }
    }

    @ParameterizedTest(name = "{0}, {1} layers")
    @MethodSource("models")
    void writesWhatTheReferenceWritesFromTheSameSeed(CellType cell, int layers) {
        String text = TestText.make(2000, 5);
        CharRnn model = new CharRnn(cell, Vocab.of(text), HIDDEN, layers).initialize(11);
        for (double[] options : new double[][] {{0, 0}, {1, 0}, {0.8, 5}}) {
            double temperature = options[0];
            int topK = (int) options[1];
            Sampler.Sample reference = Sampler.write(model.vocab(), new Generator(model, temperature, topK, 42),
                    "the king", 400, Deadline.NONE);
            Sampler.Sample fast = Sampler.write(model.vocab(), new FastWriter(model, temperature, topK, 42),
                    "the king", 400, Deadline.NONE);
            assertEquals(reference.text(), fast.text(), "temperature " + temperature + ", top-k " + topK);
        }
    }

    @Test
    void theReferenceChoiceWritesWithCore() {
        CharRnn model = new CharRnn(CellType.LSTM, Vocab.of("abc"), 4, 1).initialize(1);
        assertInstanceOf(Generator.class, Engines.writer(Engines.Choice.REFERENCE, model, 1, 0, 1));
        assertInstanceOf(FastWriter.class, Engines.writer(Engines.Choice.FAST, model, 1, 0, 1));
    }

    private static void assertClose(double[] expected, double[] actual, String where) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        assertTrue(Math.sqrt(diff) <= 1e-5 * Math.sqrt(norm), where + ": relative difference " + Math.sqrt(diff / norm));
    }
}
