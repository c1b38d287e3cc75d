package dev.rnnplayground.core.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.lab.Inspector;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.sample.Generator;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The averaged gradient reach: equal to many single-window inspections, and its Jacobians to finite differences. */
class GradientReachTest {

    private static final String TEXT = "the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. "
            + "how vexingly quick daft zebras jump! sphinx of black quartz, judge my vow.";

    private static CharRnn model(CellType cell, int layers, int hidden) {
        return new CharRnn(cell, Vocab.of(TEXT), hidden, layers).initialize(11);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void bandsAreTheQuartilesOfSingleWindowInspections(CellType cell) {
        CharRnn model = model(cell, 2, 6);
        int lags = 30, positions = 37;   // more than one batch of streams
        GradientReach.Result r = GradientReach.measure(model, TEXT, positions, lags);
        assertEquals(positions, r.positions());
        assertEquals(lags + GradientReach.WARMUP + 2, r.windowLength());
        int[] ids = model.vocab().encode(TEXT).ids();
        assertEquals(ids.length - r.windowLength(), r.windowStarts()[positions - 1], "the last window ends at the text's end");
        for (int l = 0; l < 2; l++) {
            double[][] byLag = new double[lags + 1][positions];
            for (int p = 0; p < positions; p++) {
                int start = r.windowStarts()[p];
                String window = model.vocab().decode(Arrays.copyOfRange(ids, start, start + r.windowLength()));
                double[] norms = Inspector.inspect(model, window).gradientNormsFromLast()[l];
                for (int k = 0; k <= lags; k++) byLag[k][p] = norms[norms.length - 1 - k] / norms[norms.length - 1];
            }
            for (int k = 0; k <= lags; k++) {
                double[] sorted = byLag[k].clone();
                Arrays.sort(sorted);
                assertClose(numpyQuantile(sorted, 0.5), r.hidden()[l].median()[k], "median, layer " + l + ", k " + k);
                assertClose(numpyQuantile(sorted, 0.25), r.hidden()[l].q25()[k], "q25, layer " + l + ", k " + k);
                assertClose(numpyQuantile(sorted, 0.75), r.hidden()[l].q75()[k], "q75, layer " + l + ", k " + k);
            }
            assertEquals(1.0, r.hidden()[l].median()[0], 1e-12);
        }
        if (cell == CellType.LSTM) assertNotNull(r.cell());
        else assertNull(r.cell());
    }

    /** np.quantile's default, written out from its definition: position (n-1) p between order statistics. */
    private static double numpyQuantile(double[] sorted, double p) {
        double position = (sorted.length - 1) * p;
        int below = (int) position;
        if (below == sorted.length - 1) return sorted[below];
        return sorted[below] * (1 - (position - below)) + sorted[below + 1] * (position - below);
    }

    @Test
    void quantileMatchesHandWorkedValues() {
        double[] sorted = {1, 2, 3, 4};   // numpy: q25 = 1.75, median = 2.5, q75 = 3.25
        assertEquals(1.75, GradientReach.quantile(sorted, 0.25), 1e-15);
        assertEquals(2.5, GradientReach.quantile(sorted, 0.5), 1e-15);
        assertEquals(3.25, GradientReach.quantile(sorted, 0.75), 1e-15);
        assertEquals(7, GradientReach.quantile(new double[] {7}, 0.75), 0);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void stepJacobianNormMatchesFiniteDifferences(CellType cell) {
        CharRnn model = model(cell, 2, 5);
        // larger weights than the default init, so the Jacobian is not near zero and has no tied singular values
        for (Param p : model.parameters()) for (int i = 0; i < p.w.length; i++) p.w[i] *= 3;
        int[] ids = model.vocab().encode(TEXT).ids();
        int steps = 12;
        int[][] inputs = {Arrays.copyOfRange(ids, 0, steps)};
        WindowTrace tr = model.newTrace(steps, 1);
        model.forward(inputs, model.zeroState(1), tr);
        for (int l = 0; l < 2; l++) {
            double analytic = StepJacobian.spectralNorms(model.layers[l], tr.layers[l], steps - 1)[0];
            DMatrixRMaj numeric = finiteDifferenceJacobian(model, tr, l, steps - 1);
            double expected = NormOps_DDRM.normP2(numeric);   // EJML's SVD, independent of the power iteration
            assertTrue(expected > 0.05, "a Jacobian worth checking: " + expected);
            assertEquals(expected, analytic, 1e-6 * expected, cell + " layer " + l);
        }
    }

    /**
     * dh_{t+1}/dh_t of layer l by central differences: rerun only that layer's step t from h_t
     * nudged by ±eps e_m (c_t and the layer's input unchanged), column m of the Jacobian.
     */
    private static DMatrixRMaj finiteDifferenceJacobian(CharRnn model, WindowTrace tr, int layer, int t) {
        RecurrentLayer cellLayer = model.layers[layer];
        LayerTrace lt = tr.layers[layer];
        int hs = model.hiddenSize();
        double eps = 1e-6;
        DMatrixRMaj j = new DMatrixRMaj(hs, hs);
        LayerInput input = layer == 0
                ? new LayerInput.OneHot(new int[][] {{tr.ids[t][0]}})
                : new LayerInput.Dense(new DMatrixRMaj[] {tr.layers[layer - 1].h[t + 1]});
        for (int m = 0; m < hs; m++) {
            double[][] out = new double[2][];
            for (int sign = 0; sign < 2; sign++) {
                LayerTrace one = new LayerTrace(cellLayer, layer, 1, 1);
                one.h[0].setTo(lt.h[t]);
                one.h[0].data[m] += sign == 0 ? eps : -eps;
                if (lt.c != null) one.c[0].setTo(lt.c[t]);
                cellLayer.forward(input, one);
                out[sign] = one.h[1].data.clone();
            }
            for (int row = 0; row < hs; row++) j.set(row, m, (out[0][row] - out[1][row]) / (2 * eps));
        }
        return j;
    }

    @Test
    void cellStateGradientMatchesFiniteDifferences() {
        CharRnn model = model(CellType.LSTM, 1, 4);
        int lags = 6;
        GradientReach.Result r = GradientReach.measure(model, TEXT.substring(0, GradientReach.symbolsNeeded(lags)), 1, lags);
        int[] ids = model.vocab().encode(TEXT).ids();
        int steps = r.windowLength() - 1;
        int[] inputs = Arrays.copyOfRange(ids, 0, steps);
        int target = ids[steps];
        double base = norm(gradientOnState(model, inputs, target, steps - 1, false));
        for (int k : new int[] {0, 3, 6}) {
            double numeric = norm(gradientOnState(model, inputs, target, steps - 1 - k, true)) / base;
            assertEquals(numeric, r.cell()[0].median()[k], 1e-6 * numeric, "||dL/dc|| " + k + " steps back");
        }
    }

    /**
     * dL/dh_s (or dL/dc_s) of the last prediction by central differences, s = the step after
     * reading inputs[s]. Nudging c_s also moves h_s = o_s tanh(c_s): the total derivative.
     */
    private static double[] gradientOnState(CharRnn model, int[] inputs, int target, int s, boolean cellState) {
        int hs = model.hiddenSize();
        double eps = 1e-6;
        double[] grad = new double[hs];
        for (int u = 0; u < hs; u++) {
            double[] loss = new double[2];
            for (int sign = 0; sign < 2; sign++) {
                HiddenState state = model.zeroState(1);
                WindowTrace prefix = model.newTrace(s + 1, 1);
                model.forward(new int[][] {Arrays.copyOfRange(inputs, 0, s + 1)}, state, prefix);
                double nudge = sign == 0 ? eps : -eps;
                if (cellState) {
                    double outputGate = prefix.layers[0].gates[s].data[3 * hs + u];
                    state.c[0].data[u] += nudge;
                    state.h[0].data[u] = outputGate * Math.tanh(state.c[0].data[u]);
                } else {
                    state.h[0].data[u] += nudge;
                }
                int rest = inputs.length - s - 1;
                double[] logits;
                if (rest == 0) {
                    logits = decoder(model, state.h[0].data);
                } else {
                    WindowTrace tail = model.newTrace(rest, 1);
                    model.forward(new int[][] {Arrays.copyOfRange(inputs, s + 1, inputs.length)}, state, tail);
                    logits = tail.logits(rest - 1, 0);
                }
                loss[sign] = -Math.log(Generator.softmax(logits, 1.0)[target]);
            }
            grad[u] = (loss[0] - loss[1]) / (2 * eps);
        }
        return grad;
    }

    private static double[] decoder(CharRnn model, double[] h) {
        int v = model.vocab().size(), hs = h.length;
        double[] logits = new double[v];
        for (int i = 0; i < v; i++) {
            logits[i] = model.decoderBias.w[i];
            for (int j = 0; j < hs; j++) logits[i] += model.decoderWeight.w[i * hs + j] * h[j];
        }
        return logits;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double a : x) s += a * a;
        return Math.sqrt(s);
    }

    @Test
    void refusesWhatItCannotMeasure() {
        CharRnn model = model(CellType.RNN, 1, 4);
        assertThrows(IllegalArgumentException.class, () -> GradientReach.measure(model, "short", 10, 50));
        assertThrows(IllegalArgumentException.class, () -> GradientReach.measure(model, TEXT, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> GradientReach.measure(model, TEXT, 0, 5));
        double[] before = model.parameters().get(0).w.clone();
        GradientReach.measure(model, TEXT, 3, 5);
        assertArrayEquals(before, model.parameters().get(0).w, "the model measured is not changed");
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.max(Math.abs(expected), 1e-300), what);
    }
}
