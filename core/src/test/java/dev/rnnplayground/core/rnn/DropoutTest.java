package dev.rnnplayground.core.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dropout between layers as PyTorch's {@code nn.LSTM(dropout=p)} defines it: every layer's output
 * but the last's is zeroed with probability p and the rest scaled by 1/(1-p) while training;
 * nothing is dropped when the trace has dropout off (evaluation, sampling).
 */
class DropoutTest {

    @Test
    void masksDropAboutPAndScaleTheRestByOneOverOneMinusP() {
        double[] scale = new double[100_000];
        DropoutMask.fill(7, 3, 0, 0.3, scale);
        long dropped = Arrays.stream(scale).filter(s -> s == 0).count();
        assertEquals(0.3, dropped / (double) scale.length, 0.01);
        for (double s : scale) assertTrue(s == 0 || s == 1 / 0.7, "scale " + s);
    }

    @Test
    void masksArePureFunctionsOfSeedStepAndLayer() {
        double[] a = new double[1000], b = new double[1000], c = new double[1000], d = new double[1000];
        DropoutMask.fill(7, 3, 1, 0.5, a);
        DropoutMask.fill(7, 3, 1, 0.5, b);
        DropoutMask.fill(7, 4, 1, 0.5, c);
        DropoutMask.fill(7, 3, 0, 0.5, d);
        assertArrayEquals(a, b, 0.0);
        assertFalse(Arrays.equals(a, c), "another step draws another mask");
        assertFalse(Arrays.equals(a, d), "another layer draws another mask");
    }

    /** The last layer's outputs reach the decoder undropped: a 1-layer model is unaffected. */
    /** A part of a mask, drawn on its own (one training thread's streams), equals that part of the whole. */
    @Test
    void aPartOfTheMaskDrawnAloneEqualsThatPartOfTheWhole() {
        double[] whole = new double[1000], part = new double[300];
        DropoutMask.fill(7, 3, 1, 0.4, whole);
        DropoutMask.fill(7, 3, 1, 0.4, 450, part, 100, 200);
        assertArrayEquals(Arrays.copyOfRange(whole, 450, 650), Arrays.copyOfRange(part, 100, 300), 0.0);
        assertArrayEquals(new double[100], Arrays.copyOfRange(part, 0, 100), 0.0, "nothing written before off");
    }

    @Test
    void oneLayerModelIgnoresDropout() {
        CharRnn model = new CharRnn(CellType.LSTM, Vocab.of("abcdefg"), 6, 1).initialize(2);
        int[][] in = {{0, 1, 2, 3}}, out = {{1, 2, 3, 4}};
        WindowTrace plain = model.newTrace(4, 1), dropped = model.newTrace(4, 1);
        dropped.setDropout(0.5, 1, 1);
        model.forward(in, model.zeroState(1), plain);
        model.forward(in, model.zeroState(1), dropped);
        assertEquals(model.loss(plain, out), model.loss(dropped, out), 0.0);
    }

    /** Layer 1 reads layer 0's outputs times the mask: unit j of step t dropped means layer 1 never saw it. */
    @Test
    void droppedInputsAreExactlyTheMaskedOutputsOfTheLayerBelow() {
        CharRnn model = new CharRnn(CellType.GRU, Vocab.of("abcdefg"), 5, 2).initialize(3);
        int[][] in = {{0, 1, 2}, {3, 4, 5}};
        WindowTrace tr = model.newTrace(3, 2);
        tr.setDropout(0.4, 9, 2);
        model.forward(in, model.zeroState(2), tr);
        double[] scale = new double[3 * 2 * 5];
        DropoutMask.fill(9, 2, 0, 0.4, scale);
        for (int t = 0; t < 3; t++) {
            for (int b = 0; b < 2; b++) {
                double[] h = tr.hidden(0, t, b);
                for (int j = 0; j < 5; j++) {
                    assertEquals(h[j] * scale[(t * 2 + b) * 5 + j], tr.layerInputs(1)[t].get(b, j), 0.0);
                }
            }
        }
    }

    /** Central differences with the masks held fixed agree with backward through the dropped units. */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void gradientsThroughDropoutPassTheNumericalCheck(CellType cell) {
        CharRnn model = new CharRnn(cell, Vocab.of("abcde"), 4, 3).initialize(4);
        int[][] in = {{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}}, out = {{1, 2, 3, 4, 0}, {3, 2, 1, 0, 4}};
        WindowTrace tr = model.newTrace(5, 2);
        tr.setDropout(0.5, 11, 1);
        model.zeroGradients();
        model.lossAndGradients(in, out, model.zeroState(2), tr);
        double eps = 1e-5;
        for (Param p : model.parameters()) {
            double[] analytic = p.dw.clone();
            for (int i = 0; i < p.size(); i++) {
                double w = p.w[i];
                p.w[i] = w + eps;
                model.forward(in, model.zeroState(2), tr);
                double plus = model.loss(tr, out);
                p.w[i] = w - eps;
                model.forward(in, model.zeroState(2), tr);
                double minus = model.loss(tr, out);
                p.w[i] = w;
                double numeric = (plus - minus) / (2 * eps);
                double abs = Math.abs(numeric - analytic[i]);
                assertTrue(abs < 1e-9 || abs / (Math.abs(numeric) + Math.abs(analytic[i])) < 1e-6,
                        p.name + "[" + i + "]: analytic " + analytic[i] + ", numeric " + numeric);
            }
        }
    }
}
