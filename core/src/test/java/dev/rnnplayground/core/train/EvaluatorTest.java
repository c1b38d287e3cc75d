package dev.rnnplayground.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.WindowTrace;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Evaluation: the mean loss of predicting each symbol from all the ones before it. */
class EvaluatorTest {

    /** 150 symbols: more than two of the evaluator's 64-step windows, so its carried state matters. */
    private static final String TEXT = ("Once upon a time there was a small recurrent network that wanted to read. "
            + "It read one character at a time and tried to guess the next one, over and over.").substring(0, 150);

    /** Reference: the whole text as one long window from the zero state. */
    private static double oneLongWindow(CharRnn model, int[] ids) {
        int steps = ids.length - 1;
        WindowTrace trace = model.newTrace(steps, 1);
        model.forward(new int[][] {Arrays.copyOfRange(ids, 0, steps)}, model.zeroState(1), trace);
        return model.loss(trace, new int[][] {Arrays.copyOfRange(ids, 1, steps + 1)});
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void singleStreamEvaluationCarriesTheStateAcrossTheWholeText(CellType cell) {
        CharRnn model = new CharRnn(cell, Vocab.of(TEXT), 6, 2).initialize(8);
        int[] ids = model.vocab().encode(TEXT).ids();
        assertEquals(150, ids.length);
        assertEquals(oneLongWindow(model, ids), Evaluator.meanLoss(model, ids), 1e-12);
    }

    @Test
    void parallelStreamsEachStartFromABlankState() {
        CharRnn model = new CharRnn(CellType.LSTM, Vocab.of(TEXT), 6, 1).initialize(8);
        int[] ids = model.vocab().encode(TEXT).ids();
        // 3 streams of (150 - 1) / 3 = 49 predictions each; the last 2 symbols go unpredicted
        double expected = 0;
        for (int b = 0; b < 3; b++) expected += oneLongWindow(model, Arrays.copyOfRange(ids, 49 * b, 49 * b + 50)) / 3;
        assertEquals(expected, Evaluator.meanLoss(model, ids, 3), 1e-12);
    }

    @Test
    void evaluationDoesNotTouchTheModel() {
        CharRnn model = new CharRnn(CellType.GRU, Vocab.of(TEXT), 6, 1).initialize(8);
        CharRnn before = model.copy();
        Evaluator.meanLoss(model, model.vocab().encode(TEXT).ids(), 4);
        for (int i = 0; i < model.parameters().size(); i++) {
            assertArrayEquals(before.parameters().get(i).w, model.parameters().get(i).w, 0.0);
            assertArrayEquals(new double[model.parameters().get(i).size()], model.parameters().get(i).dw, 0.0, "no gradients");
        }
    }

    @Test
    void anUntrainedModelScoresAboutAUniformGuess() {
        CharRnn model = new CharRnn(CellType.LSTM, Vocab.of(TEXT), 16, 1).initialize(8);
        double uniform = Math.log(model.vocab().size());
        double loss = Evaluator.meanLoss(model, model.vocab().encode(TEXT).ids());
        assertTrue(Math.abs(loss - uniform) < 0.15 * uniform, "loss " + loss + " vs ln V " + uniform);
    }

    @Test
    void fewerThanTwoSymbolsHaveNothingToPredict() {
        CharRnn model = new CharRnn(CellType.RNN, Vocab.of("ab"), 2, 1).initialize(1);
        assertTrue(Double.isNaN(Evaluator.meanLoss(model, new int[] {0})));
        assertTrue(Double.isNaN(Evaluator.meanLoss(model, new int[0], 4)));
    }

    /**
     * The windowed protocol: for a gpt whose block is the window it is the gpt's own evaluation;
     * for an RNN, one window as long as the text is the carried evaluation, and each window's
     * value is the loss of that window alone from a blank state.
     */
    @Test
    void windowedLossJudgesEachWindowFromABlankMemory() {
        Vocab vocab = Vocab.of(TEXT);
        int[] ids = vocab.encode(TEXT).ids();
        dev.rnnplayground.core.gpt.Gpt gpt = new dev.rnnplayground.core.gpt.Gpt(vocab,
                dev.rnnplayground.core.model.Architecture.gpt(8, 1, 2, 32, false), true).initialize(3);
        assertEquals(Evaluator.meanLoss(gpt, ids), Evaluator.windowedLoss(gpt, ids, 32), 1e-12);

        CharRnn rnn = new CharRnn(CellType.LSTM, vocab, 6, 1).initialize(8);
        assertEquals(Evaluator.meanLoss(rnn, ids), Evaluator.windowedLoss(rnn, ids, ids.length), 1e-12);
        // windows of 100: symbols 0..99 predict 1..100, then 100..148 predict 101..149, each from zeros
        int[] first = Arrays.copyOfRange(ids, 0, 101), second = Arrays.copyOfRange(ids, 100, ids.length);
        double expected = (oneLongWindow(rnn, first) * 100 + oneLongWindow(rnn, second) * 49) / (ids.length - 1);
        assertEquals(expected, Evaluator.windowedLoss(rnn, ids, 100), 1e-12);
    }

    @Test
    void theHeldOutPartIsTheTrainersValidationText() {
        int[] ids = new int[101];
        for (int i = 0; i < ids.length; i++) ids[i] = i;
        assertArrayEquals(new int[] {96, 97, 98, 99, 100}, Evaluator.heldOut(ids, 0.05), "floor(101 * 0.05) = 5 at the end");
    }
}
