package dev.rnnplayground.core.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.util.SplitMix64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The writing path (a step trace's transposed weights) computes the reference forward's logits and
 * states bit for bit, character after character: same seed, same text, on the page, the server and
 * the command line, whichever path wrote it.
 */
class WritingStepTest {

    @ParameterizedTest(name = "{0}, {1} layer(s)")
    @CsvSource({"RNN,1", "RNN,3", "LSTM,1", "LSTM,2", "GRU,1", "GRU,3"})
    void stepsGiveTheReferenceForwardsLogitsExactly(CellType cell, int layers) {
        Vocab vocab = Vocab.of("abcdefghij ,.");
        CharRnn model = new CharRnn(cell, vocab, 24, layers).initialize(9);
        HiddenState writing = model.zeroState(1);
        HiddenState reference = model.zeroState(1);
        WindowTrace stepTrace = model.newStepTrace();
        WindowTrace plainTrace = model.newTrace(1, 1);
        SplitMix64 rng = new SplitMix64(4);
        for (int i = 0; i < 300; i++) {
            int symbol = (int) (rng.nextDouble() * vocab.size());
            double[] fast = model.step(symbol, writing, stepTrace);
            model.forward(new int[][] {{symbol}}, reference, plainTrace);
            assertArrayEquals(plainTrace.logits(0, 0), fast, 0.0, "logits after symbol " + i);
            for (int l = 0; l < layers; l++) {
                assertArrayEquals(reference.hidden(l), writing.hidden(l), 0.0, "h of layer " + l + " after symbol " + i);
                if (cell == CellType.LSTM) assertArrayEquals(reference.cell(l), writing.cell(l), 0.0);
            }
        }
    }
}
