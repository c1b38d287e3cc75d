package dev.rnnplayground.core.io;

import static dev.rnnplayground.core.io.PyTorchGoldenTest.flatten;
import static dev.rnnplayground.core.io.PyTorchGoldenTest.intMatrix;
import static dev.rnnplayground.core.io.PyTorchGoldenTest.names;
import static dev.rnnplayground.core.io.PyTorchGoldenTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java GPT against nanoGPT's: each golden case is nanoGPT's {@code GPT} in float64 (2 blocks,
 * 2 heads, 16 channels, a block of 8, 11 symbols; with and without biases), its weights in our
 * model format and, next to them, the loss, every gradient and the next-symbol probabilities
 * PyTorch computed for 2 windows. Both files come from {@code scripts/golden_gpt.py}.
 */
class GptGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt_bias", "gpt_nobias"})
    void javaGptMatchesNanoGpt(String name) throws IOException {
        Map<?, ?> golden = (Map<?, ?>) Json.parse(new String(resource(name + ".json"), StandardCharsets.UTF_8));
        LanguageModel model = ModelFile.readModel(resource(name + ".safetensors"));
        assertEquals(CellType.GPT, model.kind());
        int[][] inputs = intMatrix(golden.get("inputs"));
        int[][] targets = intMatrix(golden.get("targets"));
        int batch = inputs.length, steps = inputs[0].length;
        LanguageModel.Trace trace = model.newTrace(steps, batch);
        model.zeroGradients();
        double loss = model.lossAndGradients(inputs, targets, model.zeroState(batch), trace);

        double torchLoss = (Double) golden.get("loss");
        assertEquals(torchLoss, loss, 1e-10 * Math.abs(torchLoss), name + " loss");
        List<?> probabilities = (List<?>) golden.get("probabilities");       // (B, T, V)
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                double[] expected = flatten(((List<?>) probabilities.get(b)).get(t));
                double[] actual = softmax(trace.logits(t, b));
                for (int v = 0; v < expected.length; v++) {
                    assertEquals(expected[v], actual[v], 1e-12, name + " probability of symbol " + v + " at b=" + b + ", t=" + t);
                }
            }
        }
        Map<?, ?> gradients = (Map<?, ?>) golden.get("gradients");
        assertEquals(gradients.keySet(), names(model.parameters()), "nanoGPT and Java name the same parameters, in order");
        for (Param p : model.parameters()) {
            double[] expected = flatten(gradients.get(p.name));
            double error = normOfDifference(expected, p.dw) / norm(expected);
            assertTrue(error <= 1e-6, name + " gradient of " + p.name + ": ||java - torch|| / ||torch|| = " + error);
        }
    }

    static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double x : logits) max = Math.max(max, x);
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double x : a) s += x * x;
        return Math.sqrt(s);
    }

    private static double normOfDifference(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }
}
