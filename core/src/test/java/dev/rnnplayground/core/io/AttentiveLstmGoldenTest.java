package dev.rnnplayground.core.io;

import static dev.rnnplayground.core.io.GptGoldenTest.softmax;
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
 * The Java attending LSTM against the same model in PyTorch float64 (V=7, H=6, K=3, T=8, B=2; 1 and
 * 2 layers): two windows read one after the other, the first from nothing (the attention masked
 * where fewer than K states exist), the second from the state the first left. Checks both
 * windows' losses and next-symbol probabilities, the carried state between them (h, c and the last
 * K states), and every gradient of the second window. Both files come from
 * {@code scripts/golden_attentive_lstm.py}.
 */
class AttentiveLstmGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"lstm_attention_l1", "lstm_attention_l2"})
    void javaModelMatchesTorch(String name) throws IOException {
        Map<?, ?> golden = (Map<?, ?>) Json.parse(new String(resource(name + ".json"), StandardCharsets.UTF_8));
        LanguageModel model = ModelFile.readModel(resource(name + ".safetensors"));
        assertEquals(CellType.ATTENTIVE_LSTM, model.kind());
        List<?> inputs = (List<?>) golden.get("inputs"), targets = (List<?>) golden.get("targets");
        List<?> losses = (List<?>) golden.get("losses"), probabilities = (List<?>) golden.get("probabilities");
        int batch = intMatrix(inputs.get(0)).length, steps = intMatrix(inputs.get(0))[0].length;
        LanguageModel.CarriedState state = model.zeroState(batch);
        LanguageModel.Trace trace = model.newTrace(steps, batch);
        for (int w = 0; w < 2; w++) {
            model.zeroGradients();
            double loss = model.lossAndGradients(intMatrix(inputs.get(w)), intMatrix(targets.get(w)), state, trace);
            double torchLoss = (Double) losses.get(w);
            assertEquals(torchLoss, loss, 1e-10 * Math.abs(torchLoss), name + " loss of window " + w);
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    double[] expected = flatten(((List<?>) ((List<?>) probabilities.get(w)).get(b)).get(t));
                    double[] actual = softmax(trace.logits(t, b));
                    for (int v = 0; v < expected.length; v++) {
                        assertEquals(expected[v], actual[v], 1e-12, name + " window " + w + ": probability of " + v + " at b=" + b + ", t=" + t);
                    }
                }
            }
            if (w == 0) {
                Map<?, ?> carried = (Map<?, ?>) golden.get("carried_after_first");
                assertEquals(carried.keySet(), state.tensors().keySet(), "torch and Java carry the same tensors");
                for (Map.Entry<String, double[]> e : state.tensors().entrySet()) {
                    double[] expected = flatten(carried.get(e.getKey()));
                    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], e.getValue()[i], 1e-12, name + " carried " + e.getKey());
                }
            }
        }
        Map<?, ?> gradients = (Map<?, ?>) golden.get("gradients");
        assertEquals(gradients.keySet(), names(model.parameters()), "torch and Java name the same parameters, in order");
        for (Param p : model.parameters()) {
            double[] expected = flatten(gradients.get(p.name));
            double error = distance(expected, p.dw) / distance(expected, new double[expected.length]);
            assertTrue(error <= 1e-6, name + " gradient of " + p.name + ": ||java - torch|| / ||torch|| = " + error);
        }
    }

    private static double distance(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }
}
