package dev.rnnplayground.core.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.attend.AttentiveLstm;
import dev.rnnplayground.core.bigram.BigramModel;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.sample.Generator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The input path of the gradient reach, ||dL_t/dx_{t-k}|| / ||dL_t/dx_t||, for every family against
 * central differences of L_t itself. x_p is the character at p as the first layer sees it: a
 * recurrent network's W_ih x_p, nudged through the character's column of W_ih (the character
 * appears once in the window, so the column moves x_p alone); a GPT's wte[x_p] + wpe[p], nudged
 * through row p of wpe (each position has its own row).
 */
class InputReachTest {
    private static final int LAGS = 6;
    private static final int GPT_BLOCK = 16;
    private static final int GPT_LAGS = 20;      // beyond the block: k >= 16 is never read
    private static final double EPS = 1e-6;

    /**
     * A window of {@code steps} inputs and one target: a filler of a few letters, 'X' read k steps
     * before the prediction and 'Q' read at it, neither anywhere else.
     */
    private static String text(int steps, int k) {
        StringBuilder s = new StringBuilder();
        String filler = "abc de";
        for (int p = 0; p < steps; p++) {
            s.append(p == steps - 1 ? 'Q' : p == steps - 1 - k ? 'X' : filler.charAt(p % filler.length()));
        }
        return s.append('a').toString();
    }

    private static LanguageModel model(CellType kind, Vocab vocab) {
        LanguageModel m = switch (kind) {
            case RNN, LSTM, GRU -> new CharRnn(kind, vocab, 5, 2).initialize(3);
            case ATTENTIVE_LSTM -> new AttentiveLstm(vocab, 5, 1, 4, true).initialize(3);
            case GPT -> new Gpt(vocab, Architecture.gpt(8, 2, 2, GPT_BLOCK, true), true).initialize(3);
            default -> throw new IllegalArgumentException(kind.id());
        };
        // larger weights than the defaults (a GPT's std 0.02 above all), so the gradients are well above rounding
        double scale = kind == CellType.GPT ? 6 : 2;
        for (Param p : m.parameters()) for (int i = 0; i < p.w.length; i++) p.w[i] *= scale;
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU", "ATTENTIVE_LSTM", "GPT"})
    void inputPathMatchesFiniteDifferencesOfTheLoss(CellType kind) {
        boolean gpt = kind == CellType.GPT;
        int lags = gpt ? GPT_LAGS : LAGS;
        int steps = GradientReach.windowSteps(lags, gpt ? GPT_BLOCK : Integer.MAX_VALUE);
        int k = 3;
        String text = text(steps, k);
        LanguageModel m = model(kind, Vocab.of(text));
        GradientReach.Result r = GradientReach.measure(m, text, 1, lags);
        assertEquals(steps + 1, r.windowLength());
        int[] ids = m.vocab().encode(text).ids();
        double base = norm(numericGradient(m, ids, steps, steps - 1));
        int[] checked = gpt ? new int[] {k, GPT_BLOCK - 1} : new int[] {k};   // a GPT also at position 0, the farthest it reads
        for (int back : checked) {
            double numeric = norm(numericGradient(m, ids, steps, steps - 1 - back)) / base;
            assertTrue(numeric > 1e-4, "a gradient worth checking: " + numeric);
            assertEquals(numeric, r.input().median()[back], 1e-6 * numeric, kind + ": ||dL/dx|| " + back + " steps back");
        }
        assertEquals(1.0, r.input().median()[0], 1e-12);
        if (gpt) {
            assertEquals(GPT_BLOCK, r.blockSize());
            for (int far = GPT_BLOCK; far <= lags; far++) {
                assertEquals(0.0, r.input().q75()[far], 0, "outside the block the model reads nothing: " + far);
            }
            assertNull(r.hidden());
            assertEquals(List.of(GradientReach.INPUT), r.curves());
        } else {
            assertNull(r.blockSize());
        }
    }

    /**
     * dL_t/dx_p by central differences, L_t the loss of the window's last prediction and x_p the
     * vector the first layer reads at p (see the class comment for how it is nudged alone).
     */
    private static double[] numericGradient(LanguageModel m, int[] ids, int steps, int p) {
        int[] inputs = java.util.Arrays.copyOfRange(ids, 0, steps);
        int target = ids[steps];
        double[] w;
        int[] entries;
        if (m instanceof Gpt) {
            Param wpe = m.parameter("transformer.wpe.weight");
            w = wpe.w;
            entries = new int[wpe.cols];
            for (int i = 0; i < wpe.cols; i++) entries[i] = p * wpe.cols + i;
        } else {
            Param wih = m.parameter("rnn.weight_ih_l0");   // (G*H, V): column inputs[p] is W_ih x_p
            w = wih.w;
            entries = new int[wih.rows];
            for (int j = 0; j < wih.rows; j++) entries[j] = j * wih.cols + inputs[p];
        }
        double[] grad = new double[entries.length];
        for (int e = 0; e < entries.length; e++) {
            double kept = w[entries[e]];
            w[entries[e]] = kept + EPS;
            double up = lastLoss(m, inputs, target);
            w[entries[e]] = kept - EPS;
            double down = lastLoss(m, inputs, target);
            w[entries[e]] = kept;
            grad[e] = (up - down) / (2 * EPS);
        }
        return grad;
    }

    /** -log p(target) of the prediction after reading the whole window from a blank state. */
    private static double lastLoss(LanguageModel m, int[] inputs, int target) {
        LanguageModel.Trace tr = m.newTrace(inputs.length, 1);
        m.forward(new int[][] {inputs}, m.zeroState(1), tr);
        return -Math.log(Generator.softmax(tr.logits(inputs.length - 1, 0), 1.0)[target]);
    }

    @Test
    void aBigramHasNothingToFollowBack() {
        String text = text(40, 3);
        BigramModel bigram = new BigramModel(Vocab.of(text), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientReach.measure(bigram, text, 1, 5));
        assertTrue(e.getMessage().startsWith("a bigram predicts from the last symbol alone"), e.getMessage());
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double a : x) s += a * a;
        return Math.sqrt(s);
    }
}
