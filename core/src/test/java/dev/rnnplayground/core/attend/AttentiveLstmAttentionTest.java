package dev.rnnplayground.core.attend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.sample.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What the page's attention view shows of the attending LSTM: the weights its head gave the last
 * K states while the writer read its last character, and the band-shaped matrix over a text, both
 * checked against a forward pass over the whole text ({@link AttentiveTrace#attentionWeights}).
 */
class AttentiveLstmAttentionTest {

    private static final int K = 3;

    private static AttentiveLstm model() {
        return (AttentiveLstm) Architecture.attentiveLstm(6, 2, K).create(Vocab.of("abcdef"), 11);
    }

    /** Training's forward over the whole text from the zero state. */
    private static AttentiveTrace forward(AttentiveLstm model, int[] text) {
        AttentiveTrace trace = model.newTrace(text.length, 1);
        model.forward(new int[][] {text}, model.zeroState(1), trace);
        return trace;
    }

    /**
     * After each character: the kept weights, oldest state first, equal the forward's a_j (newest
     * first) reversed; none after the first character (no state before it), then 1, 2, K.
     */
    @Test
    void theWriterKeepsTheWeightsOverTheStatesBeforeTheLastCharacter() {
        AttentiveLstm model = model();
        Generator writer = new Generator(model, 1.0, 0, 3);
        assertNull(writer.attention(), "nothing read yet");
        int[] text = new int[9];
        for (int i = 0; i < text.length; i++) {
            if (i < 2) writer.feed(text[i] = 4 - i);
            else text[i] = writer.next();
            AttentionWeights kept = writer.attention();
            int looked = Math.min(K, i);
            assertEquals(looked, kept.positions(), "after " + (i + 1) + " characters");
            assertEquals(1, kept.newestBack());
            double[] newestFirst = forward(model, Arrays.copyOf(text, i + 1)).attentionWeights(i, 0);
            double[] expected = new double[looked];
            for (int p = 0; p < looked; p++) expected[p] = newestFirst[looked - 1 - p];
            assertArrayEquals(expected, kept.head(0, 0), 1e-12, "after " + (i + 1) + " characters");
            if (looked > 0) assertEquals(1, Arrays.stream(kept.head(0, 0)).sum(), 1e-12);
        }
    }

    /** Row i holds a_j at column i - j, j = 1..K: a band under the diagonal, cut at the window's left edge. */
    @Test
    void theMatrixIsABandOfKUnderTheDiagonal() {
        AttentiveLstm model = model();
        int[] text = {0, 3, 1, 5, 2, 2, 4, 0, 1};
        AttentiveTrace trace = forward(model, text);
        int window = 5, first = text.length - window;
        double[] matrix = model.attentionMatrix(text, 0, 0, window);
        for (int i = 0; i < window; i++) {
            double[] a = trace.attentionWeights(first + i, 0);
            for (int c = 0; c < window; c++) {
                int j = i - c;
                double expected = j >= 1 && j <= K ? a[j - 1] : 0;
                assertEquals(expected, matrix[i * window + c], 0.0, "row " + i + ", column " + c);
            }
        }
        assertEquals("no attention head 0 in layer 1: the model has 1 layer(s) of 1 head(s), counted from 0",
                assertThrows(IllegalArgumentException.class, () -> model.attentionMatrix(text, 1, 0, 4)).getMessage());
    }
}
