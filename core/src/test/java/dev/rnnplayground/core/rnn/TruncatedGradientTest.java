package dev.rnnplayground.core.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.lab.GradientCheck;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.sample.Generator;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** BPTT cut k steps back: the gradient of a loss whose earlier states are held fixed, and what the check makes of it. */
class TruncatedGradientTest {

    private static final Vocab VOCAB = Vocab.of("abcdef");
    private static final int[][] INPUTS = {{0, 3, 1, 4, 1, 5}, {2, 2, 5, 0, 3, 1}};
    private static final int[][] TARGETS = {{3, 1, 4, 1, 5, 2}, {2, 5, 0, 3, 1, 4}};
    private static final int T = 6;

    /**
     * The truncated gradient is the true gradient of a surrogate loss: each step's loss computed by
     * rerunning only its last k steps from the states of the unperturbed full pass, held fixed.
     * Central differences on that surrogate, written here from the definition, must match it.
     */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void equalsFiniteDifferencesOfTheLossWithEarlierStatesHeldFixed(CellType cell) {
        CharRnn model = new CharRnn(cell, VOCAB, 3, 2).initialize(9);
        for (int k : new int[] {1, 2, 4}) {
            HiddenState start = model.zeroState(2);
            start.h[0].fill(0.3);
            HiddenState[] fixed = statesBeforeEachStep(model, start);
            model.zeroGradients();
            TruncatedGradient.lossAndGradients(model, INPUTS, TARGETS, start.copy(), k);
            for (Param p : model.parameters()) {
                for (int i = 0; i < p.size(); i++) {
                    double original = p.w[i], eps = 1e-5;
                    p.w[i] = original + eps;
                    double plus = surrogateLoss(model, fixed, k);
                    p.w[i] = original - eps;
                    double minus = surrogateLoss(model, fixed, k);
                    p.w[i] = original;
                    double numeric = (plus - minus) / (2 * eps);
                    assertEquals(numeric, p.dw[i], 1e-8 + 1e-6 * Math.abs(numeric), cell + " k=" + k + " " + p.name + "[" + i + "]");
                }
            }
        }
    }

    private static HiddenState[] statesBeforeEachStep(CharRnn model, HiddenState start) {
        HiddenState[] states = new HiddenState[T];
        HiddenState s = start.copy();
        for (int t = 0; t < T; t++) {
            states[t] = s.copy();
            model.forward(new int[][] {{INPUTS[0][t]}, {INPUTS[1][t]}}, s, model.newTrace(1, 2));
        }
        return states;
    }

    /** Sum over t and streams of L_t from the last k steps only, divided by B*T like the mean loss. */
    private static double surrogateLoss(CharRnn model, HiddenState[] fixed, int k) {
        double total = 0;
        for (int t = 0; t < T; t++) {
            int from = Math.max(0, t - k + 1);
            int[][] in = {Arrays.copyOfRange(INPUTS[0], from, t + 1), Arrays.copyOfRange(INPUTS[1], from, t + 1)};
            WindowTrace tr = model.newTrace(t + 1 - from, 2);
            model.forward(in, fixed[from].copy(), tr);
            for (int b = 0; b < 2; b++) total -= Math.log(Generator.softmax(tr.logits(t - from, b), 1.0)[TARGETS[b][t]]);
        }
        return total / (2 * T);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void theCheckFailsWhenCutShortAndPassesWithTheWholeWindow(CellType cell) {
        GradientCheck.Result cut = GradientCheck.run(cell, 1, 42, 1);
        assertFalse(cut.passed());
        double worst = cut.params().stream().mapToDouble(GradientCheck.ParamResult::maxRelativeError).max().orElseThrow();
        assertTrue(worst > 1e-2, "one step of BPTT misses much of the gradient: " + worst);
        assertTrue(GradientCheck.run(cell, 1, 42, GradientCheck.WINDOW).passed(), "k = T is the whole window");
        // not necessarily falling step by step: what a cut drops from different steps can partly cancel
        assertTrue(GradientCheck.run(cell, 2, 42, GradientCheck.WINDOW).worstTensorError() < 1e-6);
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.run(cell, 1, 42, -1));
    }
}
