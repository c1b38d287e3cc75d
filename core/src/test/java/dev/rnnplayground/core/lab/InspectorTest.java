package dev.rnnplayground.core.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.HiddenState;
import dev.rnnplayground.core.rnn.WindowTrace;
import dev.rnnplayground.core.sample.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The look inside a model: activations per character and how far back the gradient reaches. */
class InspectorTest {

    private static final String TEXT = "to be or not to be, that";   // 24 symbols: a window of T = 23
    private static final int T = 23;
    private static final int H = 8;

    private static CharRnn model(CellType cell, int layers) {
        return new CharRnn(cell, Vocab.of(TEXT), H, layers).initialize(4);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void shapesAndRangesFollowTheWindow(CellType cell) {
        Inspector.Inspection in = Inspector.inspect(model(cell, 2), TEXT);
        assertEquals(T, in.symbols().length);
        assertEquals("t", in.symbols()[0]);
        assertEquals(T, in.targetProbability().length);
        assertEquals(2, in.hidden().length, "one block per layer");
        for (int l = 0; l < 2; l++) {
            assertEquals(T, in.gradientNormsTotal()[l].length);
            assertEquals(T, in.gradientNormsFromLast()[l].length);
            for (int t = 0; t < T; t++) {
                assertTrue(Double.isFinite(in.gradientNormsTotal()[l][t]) && in.gradientNormsTotal()[l][t] > 0);
                assertTrue(Double.isFinite(in.gradientNormsFromLast()[l][t]));
            }
            assertEquals(T, in.hidden()[l].length);
            for (double[] h : in.hidden()[l]) {
                assertEquals(H, h.length);
                for (double v : h) assertTrue(v > -1 && v < 1, "every cell's h is a squashed value: " + v);
            }
        }
    }

    @Test
    void vanillaRnnGradientVanishesGoingBackInTime() {
        CharRnn model = model(CellType.RNN, 1);
        // small recurrent weights: Frobenius norm 0.5 bounds every backward step's factor W_hh^T diag(1 - h^2) by 0.5
        double[] whh = model.parameter("rnn.weight_hh_l0").w;
        double norm = Math.sqrt(Arrays.stream(whh).map(v -> v * v).sum());
        for (int i = 0; i < whh.length; i++) whh[i] *= 0.5 / norm;

        double[] fromLast = Inspector.inspect(model, TEXT).gradientNormsFromLast()[0];
        for (int t = 0; t < T - 1; t++) {
            assertTrue(fromLast[t] <= 0.5 * fromLast[t + 1] * (1 + 1e-12),
                    "step " + t + " must get at most half of step " + (t + 1) + "'s gradient: " + Arrays.toString(fromLast));
        }
        assertTrue(fromLast[0] < 1e-6 * fromLast[T - 1], "22 steps back, the gradient is gone: " + Arrays.toString(fromLast));
    }

    @Test
    void lstmExposesItsCellStates() {
        CharRnn model = model(CellType.LSTM, 1);
        Inspector.Inspection in = Inspector.inspect(model, TEXT);
        assertNotNull(in.cellStates());
        WindowTrace trace = model.newTrace(T, 1);
        int[] ids = model.vocab().encode(TEXT).ids();
        model.forward(new int[][] {Arrays.copyOf(ids, T)}, model.zeroState(1), trace);
        for (int t = 0; t < T; t++) {
            assertArrayEquals(trace.cellState(0, t, 0), in.cellStates()[0][t], 1e-15, "c at step " + t);
            for (int j = 0; j < H; j++) {
                // h = o * tanh(c) with 0 < o < 1
                assertTrue(Math.abs(in.hidden()[0][t][j]) < Math.abs(Math.tanh(in.cellStates()[0][t][j])));
            }
        }
        assertNull(Inspector.inspect(model(CellType.GRU, 1), TEXT).cellStates(), "only an LSTM has cell states");
    }

    @Test
    void targetProbabilitiesAreTheModelsAndGiveTheLoss() {
        CharRnn model = model(CellType.GRU, 2);
        Inspector.Inspection in = Inspector.inspect(model, TEXT);
        int[] ids = model.vocab().encode(TEXT).ids();
        HiddenState state = model.zeroState(1);
        double sumLog = 0;
        for (int t = 0; t < T; t++) {
            double[] p = Generator.softmax(model.step(ids[t], state), 1.0);
            assertEquals(p[ids[t + 1]], in.targetProbability()[t], 1e-12, "p(next) at step " + t);
            sumLog += Math.log(in.targetProbability()[t]);
        }
        assertEquals(-sumLog / T, in.loss(), 1e-12, "the loss is the mean -log p(next)");
    }

    @Test
    void aConfidentlyWrongPredictionStillHasItsTinyProbability() {
        // the decoder bias all but insists on 'a' (logit 40 above the rest); the text never has an 'a' next
        CharRnn model = new CharRnn(CellType.RNN, Vocab.of("abc"), 4, 1).initialize(1);
        model.parameter("decoder.bias").w[0] = 40;
        Inspector.Inspection in = Inspector.inspect(model, "abcbcb");
        double sumLog = 0;
        for (double p : in.targetProbability()) {
            assertTrue(p > 0 && p < 1e-15, "about e^-40, not rounded to zero: " + p);
            sumLog += Math.log(p);
        }
        assertEquals(in.loss(), -sumLog / in.targetProbability().length, 1e-9 * in.loss());
    }

    @Test
    void inspectingLeavesTheModelUntouched() {
        CharRnn model = model(CellType.LSTM, 2);
        for (Param p : model.parameters()) Arrays.fill(p.dw, 0.25);   // a training step's gradients in flight
        List<double[]> weights = new ArrayList<>(), grads = new ArrayList<>();
        for (Param p : model.parameters()) {
            weights.add(p.w.clone());
            grads.add(p.dw.clone());
        }
        Inspector.inspect(model, TEXT);
        for (int i = 0; i < weights.size(); i++) {
            assertArrayEquals(weights.get(i), model.parameters().get(i).w, 0.0);
            assertArrayEquals(grads.get(i), model.parameters().get(i).dw, 0.0);
        }
    }

    @Test
    void unknownSymbolsAreLeftOutAndTooShortATextIsRejected() {
        Inspector.Inspection in = Inspector.inspect(model(CellType.RNN, 1), "to be?");
        assertEquals(List.of("?"), in.skippedSymbols());
        assertEquals(4, in.symbols().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Inspector.inspect(model(CellType.RNN, 1), "t??"));
        assertTrue(e.getMessage().contains("at least 2 symbols"), e.getMessage());
    }
}
