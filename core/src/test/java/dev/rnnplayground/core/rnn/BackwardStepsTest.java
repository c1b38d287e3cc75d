package dev.rnnplayground.core.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** BPTT run one step at a time: the same gradients as the whole window, and each step's dh_t as finite differences give it. */
class BackwardStepsTest {

    private static final String TEXT = "hello world";   // a window of 10: "hello worl" -> "ello world"
    private static final long SEED = 3;

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void afterTheLastStepEveryGradientIsTheWholeWindows(CellType cell) {
        BackwardSteps steps = BackwardSteps.tinyModel(cell, TEXT, SEED);
        CharRnn whole = steps.model().copy();
        int[] ids = whole.vocab().encode(TEXT).ids();
        whole.zeroGradients();
        double loss = whole.lossAndGradients(new int[][] {Arrays.copyOfRange(ids, 0, 10)},
                new int[][] {Arrays.copyOfRange(ids, 1, 11)}, whole.zeroState(1));
        assertEquals(loss, steps.loss(), 1e-12);

        assertEquals(10, steps.windowLength());
        // the decoder is not recurrent: its gradient is whole before the first step back
        assertEquals(RecurrentLayer.frobenius(whole.decoderWeight.grad), steps.decoderGradientNorms()[0], 1e-12);
        assertEquals(RecurrentLayer.frobenius(whole.decoderBias.grad), steps.decoderGradientNorms()[1], 1e-12);
        for (int t = 9; t >= 0; t--) {
            assertEquals(t, steps.nextStep());
            assertEquals(t, steps.stepBack().t());
        }
        assertTrue(steps.done());
        assertEquals(-1, steps.nextStep());
        assertThrows(IllegalStateException.class, steps::stepBack);
        for (int p = 0; p < whole.parameters().size(); p++) {
            Param expected = whole.parameters().get(p), stepped = steps.model().parameters().get(p);
            assertArrayEquals(expected.dw, stepped.dw, 1e-12, expected.name);
        }
        double[] last = steps.steps().get(9).accumulated();
        for (int p = 0; p < 4; p++) {
            assertEquals(RecurrentLayer.frobenius(whole.parameters().get(p).grad), last[p], 1e-12, steps.parameterNames().get(p));
        }
        // the page says: b_ih and b_hh get the same gradient, but for a GRU's n gate (r scales the hidden side)
        for (BackwardSteps.Step s : steps.steps()) {
            if (cell == CellType.GRU) assertTrue(s.accumulated()[2] != s.accumulated()[3]);
            else assertEquals(s.accumulated()[2], s.accumulated()[3], 0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void eachStepAddsTheLossToWhatArrivesAndPassesTheRestBack(CellType cell) {
        BackwardSteps steps = BackwardSteps.tinyModel(cell, TEXT, SEED);
        BackwardSteps.Step previous = null;
        for (int i = 0; i < steps.windowLength(); i++) {
            BackwardSteps.Step s = steps.stepBack();
            for (int j = 0; j < BackwardSteps.TINY_HIDDEN; j++) assertEquals(s.fromLoss()[j] + s.fromLater()[j], s.total()[j], 0);
            if (previous == null) {
                assertArrayEquals(new double[BackwardSteps.TINY_HIDDEN], s.fromLater(), "nothing comes from beyond the window");
            } else {
                assertArrayEquals(previous.passedBack(), s.fromLater());
                if (cell == CellType.LSTM) assertArrayEquals(previous.cellPassedBack(), s.cellFromLater());
            }
            assertEquals(cell.gates() * BackwardSteps.TINY_HIDDEN, s.gateGradients().length);
            if (cell != CellType.LSTM) assertNull(s.cellFromLater());
            if (previous != null) {
                for (int p = 0; p < 4; p++) assertTrue(s.accumulated()[p] != previous.accumulated()[p] || p == 1 && s.t() == 0,
                        "step " + s.t() + " adds to " + steps.parameterNames().get(p));
            }
            previous = s;
        }
    }

    /**
     * dL/dh_t of the window's mean loss, with h_t moved and everything before it held: central
     * differences of the loss written from the definition (step t's prediction by hand through the
     * decoder, the later steps by running the model on from the moved state) for every unit, and
     * each of the two parts apart.
     */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void eachPartOfDhIsWhatFiniteDifferencesGive(CellType cell) {
        BackwardSteps steps = BackwardSteps.tinyModel(cell, TEXT, SEED);
        CharRnn model = steps.model();
        int[] ids = model.vocab().encode(TEXT).ids();
        int window = steps.windowLength();
        int t = 4;
        HiddenState atT = model.zeroState(1);
        model.forward(new int[][] {Arrays.copyOfRange(ids, 0, t + 1)}, atT, model.newTrace(t + 1, 1));
        BackwardSteps.Step step = null;
        while (steps.nextStep() >= t) step = steps.stepBack();
        assertEquals(t, step.t());

        double eps = 1e-6;
        for (int j = 0; j < BackwardSteps.TINY_HIDDEN; j++) {
            double[] plus = partsOfTheLoss(model, ids, window, t, moved(atT, j, eps, false));
            double[] minus = partsOfTheLoss(model, ids, window, t, moved(atT, j, -eps, false));
            double fromLoss = (plus[0] - minus[0]) / (2 * eps), fromLater = (plus[1] - minus[1]) / (2 * eps);
            assertEquals(fromLoss, step.fromLoss()[j], 1e-9, "from the loss, unit " + j);
            assertEquals(fromLater, step.fromLater()[j], 1e-9, "from step t+1, unit " + j);
            assertEquals(fromLoss + fromLater, step.total()[j], 1e-9, "in all, unit " + j);
            assertTrue(Math.abs(fromLater) > 1e-6, "the later steps reach h_t: " + fromLater);
            if (cell == CellType.LSTM) {
                double[] cPlus = partsOfTheLoss(model, ids, window, t, moved(atT, j, eps, true));
                double[] cMinus = partsOfTheLoss(model, ids, window, t, moved(atT, j, -eps, true));
                assertEquals((cPlus[1] - cMinus[1]) / (2 * eps), step.cellFromLater()[j], 1e-9, "dc from step t+1, unit " + j);
            }
        }
    }

    @Test
    void refusesWhatItCannotShow() {
        assertThrows(IllegalArgumentException.class, () -> BackwardSteps.tinyModel(CellType.RNN, "a", 1));
        assertThrows(IllegalArgumentException.class, () -> BackwardSteps.tinyModel(CellType.RNN, "abcdefghijklmnopqr", 1));
        CharRnn twoLayers = new CharRnn(CellType.GRU, Vocab.of("ab"), 3, 2);
        assertThrows(IllegalArgumentException.class, () -> new BackwardSteps(twoLayers, new int[] {0}, new int[] {1}));
    }

    private static HiddenState moved(HiddenState s, int unit, double by, boolean cellState) {
        HiddenState m = s.copy();
        (cellState ? m.c : m.h)[0].data[unit] += by;
        return m;
    }

    /**
     * The terms of the window's mean loss that depend on h_t: {L_t, the sum of L_{t+1..T-1}}, each
     * divided by T, computed from the state after step t.
     */
    private static double[] partsOfTheLoss(CharRnn model, int[] ids, int window, int t, HiddenState afterT) {
        double[] w = model.parameter("decoder.weight").w, b = model.parameter("decoder.bias").w, h = afterT.h[0].data;
        int vocab = b.length, hidden = h.length;
        double[] logits = new double[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            logits[v] = b[v];
            for (int j = 0; j < hidden; j++) logits[v] += w[v * hidden + j] * h[j];
            max = Math.max(max, logits[v]);
        }
        double sum = 0;
        for (double z : logits) sum += Math.exp(z - max);
        double own = (Math.log(sum) + max - logits[ids[t + 1]]) / window;
        int later = window - 1 - t;
        WindowTrace rest = model.newTrace(later, 1);
        model.forward(new int[][] {Arrays.copyOfRange(ids, t + 1, window)}, afterT.copy(), rest);
        double laterLoss = model.loss(rest, new int[][] {Arrays.copyOfRange(ids, t + 2, window + 1)}) * later / window;
        return new double[] {own, laterLoss};
    }
}
