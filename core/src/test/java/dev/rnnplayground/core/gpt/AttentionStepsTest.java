package dev.rnnplayground.core.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each stage of AttentionSteps is what Gpt.forward computes for the same window (its trace, row t). */
class AttentionStepsTest {

    private static final double TOLERANCE = 1e-12;

    /**
     * Against the trace of a whole-window forward pass: the embedding sum, ln_1, q/k/v, the
     * weights, the head's output, c_proj and the residual at row t; the scores against q . k / sqrt(hs)
     * summed here. Weights far from nanoGPT's small start (uniform in ±2) so that the softmax is far
     * from uniform and a wrong key would show.
     */
    @ParameterizedTest(name = "position {0}, head {1}")
    @CsvSource({"0,0", "4,1", "9,0", "9,1"})
    void everyStageIsWhatTheForwardPassComputes(int t, int h) {
        String text = "abcab cabba";
        Vocab vocab = Vocab.of(text);
        Gpt model = new Gpt(vocab, Architecture.gpt(8, 2, 2, 12, true), false);
        SplitMix64 rng = new SplitMix64(5);
        for (Param p : model.parameters()) p.uniform(rng, 2.0);
        int[] ids = Arrays.copyOf(vocab.encode(text).ids(), 10);
        AttentionSteps steps = new AttentionSteps(model, ids, t, h);

        GptTrace trace = model.newTrace(10, 1);
        model.forward(new int[][] {ids}, model.zeroState(1), trace);
        int c = 8, hs = 4, n = t + 1;
        assertEquals(List.of("embed", "layernorm", "qkv", "scores", "mask", "softmax", "mix", "project", "residual"),
                steps.stages().stream().map(AttentionSteps.Stage::id).toList());

        double[] x = values(steps, "embed", "x");
        assertClose(row(trace.encoded, t, c), x, "x");
        double[] sum = new double[c];
        for (int i = 0; i < c; i++) sum[i] = values(steps, "embed", "tokenEmbedding")[i] + values(steps, "embed", "positionEmbedding")[i];
        assertArrayEquals(sum, x, 0, "x is the sum of the two embeddings");
        assertEquals(trace.ln1Mean[0][t], values(steps, "layernorm", "mean")[0], TOLERANCE);
        assertEquals(trace.ln1Rstd[0][t], values(steps, "layernorm", "rstd")[0], TOLERANCE);
        assertClose(row(trace.ln1[0], t, c), values(steps, "layernorm", "ln"), "ln_1(x)");

        double[] q = Arrays.copyOfRange(trace.qkv[0], t * 3 * c + h * hs, t * 3 * c + h * hs + hs);
        assertClose(q, values(steps, "qkv", "q"), "q");
        AttentionSteps.Tensor k = steps.stage("qkv").tensor("k"), v = steps.stage("qkv").tensor("v");
        assertEquals(n, k.rows());
        assertEquals(hs, v.columns());
        double[] scores = values(steps, "scores", "scores");
        for (int j = 0; j < n; j++) {
            double[] kj = Arrays.copyOfRange(trace.qkv[0], j * 3 * c + c + h * hs, j * 3 * c + c + h * hs + hs);
            double[] vj = Arrays.copyOfRange(trace.qkv[0], j * 3 * c + 2 * c + h * hs, j * 3 * c + 2 * c + h * hs + hs);
            assertClose(kj, Arrays.copyOfRange(k.values(), j * hs, j * hs + hs), "k_" + j);
            assertClose(vj, Arrays.copyOfRange(v.values(), j * hs, j * hs + hs), "v_" + j);
            double dot = 0;
            for (int i = 0; i < hs; i++) dot += q[i] * kj[i];
            assertEquals(dot / 2, scores[j], TOLERANCE, "score " + j);   // sqrt(hs) = 2
        }

        double[] masked = values(steps, "mask", "masked");
        assertEquals(10, masked.length);
        for (int j = 0; j < 10; j++) {
            if (j <= t) assertEquals(scores[j], masked[j], 0, "kept " + j);
            else assertEquals(Double.NEGATIVE_INFINITY, masked[j], "masked " + j);
        }
        double[] weights = values(steps, "softmax", "weights");
        assertClose(trace.attention(0, 0, h, t), weights, "the attention weights");
        assertEquals(1, Arrays.stream(weights).sum(), 1e-12);
        if (t > 0) {
            double[] read = Arrays.copyOf(weights, n);
            double max = Arrays.stream(read).max().orElseThrow(), min = Arrays.stream(read).min().orElseThrow();
            assertTrue(max > 1.5 * min, "far from uniform, so the test can tell keys apart: " + Arrays.toString(read));
        }

        double[] heads = row(trace.attnOut[0], t, c);
        assertClose(Arrays.copyOfRange(heads, h * hs, h * hs + hs), values(steps, "mix", "headOutput"), "this head's y");
        assertClose(heads, values(steps, "project", "heads"), "every head's y");
        assertClose(row(trace.attnProj[0], t, c), values(steps, "project", "projected"), "c_proj(y)");
        assertClose(row(trace.residual2[0], t, c), values(steps, "residual", "residual"), "x + c_proj(y)");
    }

    @Test
    void theTinyModelReadsItsTextAndRefusesWhatItCannot() {
        AttentionSteps steps = AttentionSteps.tinyModel("hello world", 1, 10, 1);
        assertEquals(8, steps.channels());
        assertEquals(2, steps.heads());
        assertEquals(11, steps.stage("softmax").tensor("weights").columns());
        assertEquals(11, steps.stage("qkv").tensor("k").rows());
        assertArrayEquals(Vocab.of("hello world").encode("hello world").ids(), steps.symbols());
        // the same seed, the same numbers; another seed, others
        assertArrayEquals(values(steps, "residual", "residual"),
                values(AttentionSteps.tinyModel("hello world", 1, 10, 1), "residual", "residual"), 0);
        assertTrue(values(steps, "embed", "x")[0] != values(AttentionSteps.tinyModel("hello world", 2, 10, 1), "embed", "x")[0]);

        assertEquals("the text must have 1 to 16 symbols, got 0",
                assertThrows(IllegalArgumentException.class, () -> AttentionSteps.tinyModel("", 1, 0, 0)).getMessage());
        assertEquals("the text must have 1 to 16 symbols, got 17",
                assertThrows(IllegalArgumentException.class, () -> AttentionSteps.tinyModel("a".repeat(17), 1, 0, 0)).getMessage());
        assertEquals("the position must be 0 to 2, got 3",
                assertThrows(IllegalArgumentException.class, () -> AttentionSteps.tinyModel("abc", 1, 3, 0)).getMessage());
        assertEquals("the head must be 0 to 1, got 2",
                assertThrows(IllegalArgumentException.class, () -> AttentionSteps.tinyModel("abc", 1, 2, 2)).getMessage());
    }

    private static double[] values(AttentionSteps steps, String stage, String tensor) {
        return steps.stage(stage).tensor(tensor).values();
    }

    private static double[] row(double[] rows, int r, int width) {
        return Arrays.copyOfRange(rows, r * width, (r + 1) * width);
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= TOLERANCE, what + ": max difference " + worst + ", expected " + Arrays.toString(
                Arrays.copyOf(expected, Math.min(4, expected.length))) + "..., got " + Arrays.toString(Arrays.copyOf(actual, Math.min(4, actual.length))));
    }
}
