package dev.rnnplayground.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.optim.Optimizer;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.train.TrainConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast engine against PyTorch, at float32 tolerance: the same golden cases core's
 * PyTorchGoldenTest checks the reference against to 1e-9 (torch.nn.RNN/LSTM/GRU + Linear in
 * float64, made by core/src/test/resources/golden/make_golden.py). Loss within 1e-5 relative,
 * every parameter gradient within 1e-4 relative by norm.
 */
class FastPyTorchGoldenTest {
    private static final Path GOLDEN = Path.of("..", "core", "src", "test", "resources", "golden");

    @ParameterizedTest
    @ValueSource(strings = {"rnn_l1", "rnn_l2", "lstm_l1", "lstm_l2", "gru_l1", "gru_l2"})
    void fastEngineMatchesTorch(String name) throws IOException {
        Map<?, ?> golden = (Map<?, ?>) Json.parse(Files.readString(GOLDEN.resolve(name + ".json"), StandardCharsets.UTF_8));
        CharRnn model = ModelFile.read(Files.readAllBytes(GOLDEN.resolve(name + ".safetensors")));
        int[][] inputs = GoldenJson.intMatrix(golden.get("inputs")), targets = GoldenJson.intMatrix(golden.get("targets"));
        int batch = inputs.length, steps = inputs[0].length;
        TrainConfig config = TrainConfig.builder().cell(model.cell()).hidden(model.hiddenSize())
                .layers(model.numLayers()).seqLength(steps).batchSize(batch).optimizer(OptimizerType.SGD).learningRate(0.1)
                .clip(0).steps(1).valFraction(0).seed(1).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
        assertEquals(null, NativeBlas.load());
        FastEngine fast = new FastEngine(config, model, Optimizer.create(OptimizerType.SGD, 0.1), model.zeroState(batch));

        double loss = fast.lossAndGradients(inputs, targets, 1);

        assertMatchesGolden(golden, loss, fast.gradients(), model.parameters(), name);
    }

    /** The loss within 1e-5 relative and every gradient within 1e-4 relative (by norm) of a golden's. */
    static void assertMatchesGolden(Map<?, ?> golden, double loss, double[][] gradients, List<Param> params, String name) {
        double expectedLoss = (Double) golden.get("loss");
        assertEquals(expectedLoss, loss, 1e-5 * expectedLoss, name + " loss");
        Map<?, ?> expected = (Map<?, ?>) golden.get("gradients");
        for (int i = 0; i < params.size(); i++) {
            double rel = FastEngineTest.relativeDifference(GoldenJson.flatten(expected.get(params.get(i).name)), gradients[i]);
            assertTrue(rel <= 1e-4, name + " gradient of " + params.get(i).name + " differs by " + rel + " relative");
        }
    }
}
