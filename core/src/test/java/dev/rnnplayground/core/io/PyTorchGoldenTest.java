package dev.rnnplayground.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.HiddenState;
import dev.rnnplayground.core.rnn.WindowTrace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java model against PyTorch: each golden case is a float64 torch.nn.RNN/LSTM/GRU + Linear,
 * its weights in our model format and, next to them, the logits, loss, final state and every
 * parameter gradient torch computed for one window. Both files come from
 * {@code src/test/resources/golden/make_golden.py}, which writes the safetensors file by hand, so
 * this also checks our reader against an independent writer.
 */
class PyTorchGoldenTest {

    /** Relative tolerance, with an absolute floor so that gradients that are exactly 0 compare sanely. */
    private static final double RELATIVE = 1e-9;
    private static final double FLOOR = 1e-6;

    @ParameterizedTest
    @ValueSource(strings = {"rnn_l1", "rnn_l2", "lstm_l1", "lstm_l2", "gru_l1", "gru_l2"})
    void javaModelMatchesTorch(String name) throws IOException {
        Map<?, ?> golden = (Map<?, ?>) Json.parse(new String(resource(name + ".json"), StandardCharsets.UTF_8));
        CharRnn model = ModelFile.read(resource(name + ".safetensors"));
        assertEquals(golden.get("cell"), model.cell().id());
        assertEquals(golden.get("hidden_size"), (long) model.hiddenSize());
        assertEquals(golden.get("num_layers"), (long) model.numLayers());
        assertEquals(golden.get("vocab"), model.vocab().symbols());

        int[][] inputs = intMatrix(golden.get("inputs"));
        int[][] targets = intMatrix(golden.get("targets"));
        int batch = inputs.length;
        int steps = inputs[0].length;
        HiddenState state = model.zeroState(batch);
        WindowTrace trace = model.newTrace(steps, batch);
        model.zeroGradients();
        double loss = model.lossAndGradients(inputs, targets, state, trace);

        assertClose(name + " loss", new double[] {(Double) golden.get("loss")}, new double[] {loss});
        List<?> logits = (List<?>) golden.get("logits");                     // (B, T, V)
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                assertClose(name + " logits[b=" + b + "][t=" + t + "]",
                        flatten(((List<?>) logits.get(b)).get(t)), trace.logits(t, b));
            }
        }
        List<?> hN = (List<?>) golden.get("h_n");                              // (L, B, H)
        Object cN = golden.get("c_n");
        for (int l = 0; l < model.numLayers(); l++) {
            assertClose(name + " final h of layer " + l, flatten(hN.get(l)), state.hidden(l));
            if (cN != null) {
                assertClose(name + " final c of layer " + l, flatten(((List<?>) cN).get(l)), state.cell(l));
            }
        }
        Map<?, ?> gradients = (Map<?, ?>) golden.get("gradients");
        assertEquals(gradients.keySet(), names(model.parameters()), "torch and Java name the same parameters");
        for (Param p : model.parameters()) {
            assertClose(name + " gradient of " + p.name, flatten(gradients.get(p.name)), p.dw);
        }
    }

    /** Fails listing the first few values that differ and the largest difference. */
    private static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        StringBuilder firstDiffs = new StringBuilder();
        int failures = 0;
        double maxDiff = 0;
        int maxAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            if (diff > maxDiff || maxAt < 0) {
                maxDiff = diff;
                maxAt = i;
            }
            double scale = Math.max(FLOOR, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
            if (!(diff <= RELATIVE * scale)) {
                if (failures++ < 5) {
                    firstDiffs.append(String.format("%n  [%d] torch %.17g java %.17g", i, expected[i], actual[i]));
                }
            }
        }
        if (failures > 0) {
            fail(String.format("%s: %d of %d values differ beyond %.0e relative; max |difference| %.3e at [%d]%s",
                    what, failures, expected.length, RELATIVE, maxDiff, maxAt, firstDiffs));
        }
    }

    static double[] flatten(Object nested) {
        List<Double> out = new ArrayList<>();
        flattenInto(nested, out);
        double[] d = new double[out.size()];
        for (int i = 0; i < d.length; i++) d[i] = out.get(i);
        return d;
    }

    private static void flattenInto(Object value, List<Double> out) {
        if (value instanceof List<?> list) {
            for (Object v : list) flattenInto(v, out);
        } else {
            out.add(((Number) value).doubleValue());
        }
    }

    static int[][] intMatrix(Object nested) {
        List<?> rows = (List<?>) nested;
        int[][] m = new int[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            List<?> row = (List<?>) rows.get(i);
            m[i] = new int[row.size()];
            for (int j = 0; j < m[i].length; j++) m[i][j] = ((Long) row.get(j)).intValue();
        }
        return m;
    }

    static java.util.Set<String> names(List<Param> params) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Param p : params) out.add(p.name);
        return out;
    }

    static byte[] resource(String file) throws IOException {
        try (InputStream in = PyTorchGoldenTest.class.getResourceAsStream("/golden/" + file)) {
            assertNotNull(in, "missing test resource golden/" + file + " (run make_golden.py)");
            return in.readAllBytes();
        }
    }
}
