package dev.rnnplayground.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.HiddenState;
import dev.rnnplayground.core.rnn.WindowTrace;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Truncated BPTT cuts the text into windows but lets the hidden state flow on: reading two
 * windows one after the other, carrying the state, must give exactly the values of reading the
 * text in one long window.
 */
class TruncatedBpttTest {

    private static final String TEXT = "the cat sat on the mat. ";
    private static final int T = 6;
    private static final double TOLERANCE = 1e-12;

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void twoCarriedWindowsEqualOneLongWindow(CellType cell) {
        CharRnn model = new CharRnn(cell, Vocab.of(TEXT), 5, 2).initialize(11);
        int[] ids = model.vocab().encode(TEXT).ids();
        int[][] firstIn = {Arrays.copyOfRange(ids, 0, T)}, firstOut = {Arrays.copyOfRange(ids, 1, T + 1)};
        int[][] secondIn = {Arrays.copyOfRange(ids, T, 2 * T)}, secondOut = {Arrays.copyOfRange(ids, T + 1, 2 * T + 1)};
        int[][] longIn = {Arrays.copyOfRange(ids, 0, 2 * T)}, longOut = {Arrays.copyOfRange(ids, 1, 2 * T + 1)};

        HiddenState carried = model.zeroState(1);
        WindowTrace window = model.newTrace(T, 1);
        model.forward(firstIn, carried, window);
        double firstLoss = model.loss(window, firstOut);
        double[][] firstLogits = logits(window);
        model.forward(secondIn, carried, window);
        double secondLoss = model.loss(window, secondOut);
        double[][] secondLogits = logits(window);

        HiddenState oneGo = model.zeroState(1);
        WindowTrace longWindow = model.newTrace(2 * T, 1);
        model.forward(longIn, oneGo, longWindow);
        double longLoss = model.loss(longWindow, longOut);

        for (int t = 0; t < T; t++) {
            assertArrayEquals(longWindow.logits(t, 0), firstLogits[t], TOLERANCE, "step " + t);
            assertArrayEquals(longWindow.logits(T + t, 0), secondLogits[t], TOLERANCE, "step " + (T + t));
        }
        assertEquals(longLoss, (firstLoss + secondLoss) / 2, TOLERANCE, "mean of the two window losses");
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(oneGo.hidden(l), carried.hidden(l), TOLERANCE, "final h of layer " + l);
            if (cell == CellType.LSTM) assertArrayEquals(oneGo.cell(l), carried.cell(l), TOLERANCE, "final c of layer " + l);
        }

        // and the carry matters: the second window from a blank state predicts differently
        WindowTrace fresh = model.newTrace(T, 1);
        model.forward(secondIn, model.zeroState(1), fresh);
        assertNotEquals(secondLoss, model.loss(fresh, secondOut), 1e-6);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void trainerResetsTheCarriedStateWhenTheDataWrapsAround(CellType cell) {
        // 13 training symbols, T = 6, B = 1: two windows per epoch, the third step starts epoch 2
        String text = "abcabcabcabca";
        TrainConfig config = TrainConfig.builder().cell(cell).hidden(4).seqLength(T).optimizer(OptimizerType.SGD)
                .learningRate(0.5).clip(0).steps(3).valFraction(0).seed(5).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
        Trainer trainer = new Trainer(config, text, null);
        int[] ids = ((CharRnn) trainer.model()).vocab().encode(text).ids();

        // step 2 continues epoch 1: it reads text[6..11] from the state step 1 left behind
        trainer.step();
        double carriedLoss = lossFrom(((CharRnn) trainer.model()), (HiddenState) trainer.carriedState().copy(), ids, T);
        double blankLoss = lossFrom(((CharRnn) trainer.model()), ((CharRnn) trainer.model()).zeroState(1), ids, T);
        assertNotEquals(carriedLoss, blankLoss, 1e-9, "the test needs a carry that changes the loss");
        assertEquals(carriedLoss, trainer.step().loss(), TOLERANCE, "within an epoch the state is carried");

        // step 3 wraps to text[0..5]: it must start from the zero state, not from the end of the text
        double fromZero = lossFrom(((CharRnn) trainer.model()), ((CharRnn) trainer.model()).zeroState(1), ids, 0);
        double fromCarry = lossFrom(((CharRnn) trainer.model()), (HiddenState) trainer.carriedState().copy(), ids, 0);
        assertNotEquals(fromZero, fromCarry, 1e-9, "the test needs a carry that changes the loss");
        assertEquals(fromZero, trainer.step().loss(), TOLERANCE, "a new epoch starts from a blank memory");
    }

    /** Loss of the window text[start..start+T-1] -> text[start+1..start+T] from a given state, no updates. */
    private static double lossFrom(CharRnn model, HiddenState state, int[] ids, int start) {
        WindowTrace trace = model.newTrace(T, 1);
        model.forward(new int[][] {Arrays.copyOfRange(ids, start, start + T)}, state, trace);
        return model.loss(trace, new int[][] {Arrays.copyOfRange(ids, start + 1, start + T + 1)});
    }

    private static double[][] logits(WindowTrace trace) {
        double[][] out = new double[trace.steps][];
        for (int t = 0; t < trace.steps; t++) out[t] = trace.logits(t, 0);
        return out;
    }
}
