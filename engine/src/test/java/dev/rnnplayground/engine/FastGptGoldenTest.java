package dev.rnnplayground.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.model.Param;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float32 GPT against PyTorch's nanoGPT model in float64 (goldens made by
 * engine/src/test/resources/golden/make_gpt_golden.py): one window's loss within 1e-5 relative,
 * every parameter's gradient within 1e-4 relative by norm, with biases and without, with the
 * window as long as the block and shorter, on one group of streams and split into two.
 */
class FastGptGoldenTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @ParameterizedTest
    @ValueSource(strings = {"gpt_bias", "gpt_nobias_short"})
    void oneGroupMatchesTorch(String name) throws IOException {
        compare(name, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt_bias", "gpt_nobias_short"})
    void twoGroupsMatchTorch(String name) throws IOException {
        compare(name, 2);
    }

    private static void compare(String name, int groups) throws IOException {
        assertNull(NativeBlas.load());
        Map<?, ?> golden = (Map<?, ?>) Json.parse(Files.readString(GOLDEN.resolve(name + ".json"), StandardCharsets.UTF_8));
        Map<?, ?> sizes = (Map<?, ?>) golden.get("shape");
        GptShape shape = new GptShape(integer(sizes, "vocab"), integer(sizes, "block"), integer(sizes, "embd"),
                integer(sizes, "heads"), integer(sizes, "layers"), (Boolean) sizes.get("bias"));
        List<Param> params = shape.newParameters();
        assertEquals(golden.get("names"), params.stream().map(p -> p.name).toList(), "parameter order");
        Map<?, ?> values = (Map<?, ?>) golden.get("parameters");
        for (Param p : params) System.arraycopy(GoldenJson.flatten(values.get(p.name)), 0, p.w, 0, p.size());
        int[][] inputs = GoldenJson.intMatrix(golden.get("inputs")), targets = GoldenJson.intMatrix(golden.get("targets"));
        int batch = inputs.length, steps = inputs[0].length;

        FloatGpt net = new FloatGpt(shape, params);
        for (int i = 0; i < params.size(); i++) net.params.get(i).copyFrom(params.get(i).w, net.params.get(i).w);
        double loss = 0;
        for (int g = 0, first = 0; g < groups; g++) {
            int size = batch / groups + (g < batch % groups ? 1 : 0);
            GptBuffers s = new GptBuffers(net, shape.blockSize(), first, size, true, false);
            for (int b = 0; b < size; b++) System.arraycopy(targets[first + b], 0, s.targets, b * steps, steps);
            net.forward(s, inputs, steps);
            loss += net.lossSum(s, true, batch * steps);
            net.backward(s);
            first += size;
        }
        loss /= batch * steps;

        double expectedLoss = (Double) golden.get("loss");
        assertEquals(expectedLoss, loss, 1e-5 * expectedLoss, name + " loss");
        Map<?, ?> gradients = (Map<?, ?>) golden.get("gradients");
        double[][] actual = EngineState.gradients(net.params);
        for (int i = 0; i < params.size(); i++) {
            double rel = FastEngineTest.relativeDifference(GoldenJson.flatten(gradients.get(params.get(i).name)), actual[i]);
            assertTrue(rel <= 1e-4, name + " gradient of " + params.get(i).name + " differs by " + rel + " relative");
        }
    }

    private static int integer(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).intValue();
    }
}
