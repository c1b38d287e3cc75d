package dev.rnnplayground.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.OptimizerType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole training loop against char-rnn's loop written in PyTorch: contiguous streams, state
 * carried (detached) from window to window and reset when the data wraps, clipping, and the
 * optimizer, for several steps across epoch boundaries. Golden files: {@code
 * src/test/resources/golden/make_training_golden.py} (torch 1.13, float64), which also writes the
 * initial weights both sides start from.
 */
class TrainingGoldenTest {

    private static final double RELATIVE = 1e-9;
    private static final double FLOOR = 1e-9;

    @ParameterizedTest
    @ValueSource(strings = {"lstm_adam_norm", "gru_rmsprop_value", "rnn_adagrad_off"})
    void trainerFollowsTorchStepForStep(String name) throws IOException {
        Map<?, ?> golden = (Map<?, ?>) Json.parse(new String(resource(name + "_training.json"), StandardCharsets.UTF_8));
        Map<?, ?> c = (Map<?, ?>) golden.get("config");
        String text = (String) golden.get("text");
        double clip = ((Number) c.get("clip")).doubleValue();
        TrainConfig config = TrainConfig.builder().cell(CellType.parse((String) c.get("cell")))
                .hidden(intOf(c.get("hidden"))).layers(intOf(c.get("layers"))).seqLength(intOf(c.get("seqLength")))
                .batchSize(intOf(c.get("batchSize"))).optimizer(OptimizerType.parse((String) c.get("optimizer")))
                .learningRate(((Number) c.get("lr")).doubleValue()).clip(clip)
                .clipMode(GradientClipping.Mode.parse((String) c.get("clipMode"))).steps(((Number) c.get("steps")).longValue())
                .valFraction(0).seed(1).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
        Trainer trainer = new Trainer(config, text, ModelFile.read(resource(name + "_init.safetensors")));

        List<?> losses = (List<?>) golden.get("losses");
        List<?> norms = (List<?>) golden.get("gradient_norms");
        for (int i = 0; i < losses.size(); i++) {
            StepReport report = trainer.step();
            double norm = ((Number) norms.get(i)).doubleValue();
            assertClose(name + " loss at step " + (i + 1), new double[] {((Number) losses.get(i)).doubleValue()},
                    new double[] {report.loss()});
            assertClose(name + " gradient norm at step " + (i + 1), new double[] {norm}, new double[] {report.gradientNorm()});
            if (config.clipMode() == GradientClipping.Mode.NORM) {
                assertEquals(clip > 0 && norm > clip, report.clipped(), name + " clipped at step " + (i + 1));
            }
        }
        assertEquals(config.steps(), trainer.stepsDone());
        Map<?, ?> finals = (Map<?, ?>) golden.get("final");
        for (Param p : trainer.model().parameters()) {
            assertClose(name + " " + p.name + " after training", doubles(finals.get(p.name)), p.w);
        }
    }

    /** Fails listing the first few values that differ and the largest difference. */
    private static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        StringBuilder firstDiffs = new StringBuilder();
        int failures = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            maxDiff = Math.max(maxDiff, diff);
            if (!(diff <= RELATIVE * Math.max(FLOOR, Math.abs(expected[i])))) {
                if (failures++ < 5) firstDiffs.append(String.format("%n  [%d] torch %.17g java %.17g", i, expected[i], actual[i]));
            }
        }
        if (failures > 0) {
            fail(String.format("%s: %d of %d values differ beyond %.0e relative; max |difference| %.3e%s",
                    what, failures, expected.length, RELATIVE, maxDiff, firstDiffs));
        }
    }

    private static int intOf(Object n) {
        return ((Number) n).intValue();
    }

    private static double[] doubles(Object list) {
        assertNotNull(list);
        List<?> l = (List<?>) list;
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) d[i] = ((Number) l.get(i)).doubleValue();
        return d;
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = TrainingGoldenTest.class.getResourceAsStream("/golden/" + file)) {
            assertNotNull(in, "missing test resource golden/" + file + " (run make_training_golden.py)");
            return in.readAllBytes();
        }
    }
}
