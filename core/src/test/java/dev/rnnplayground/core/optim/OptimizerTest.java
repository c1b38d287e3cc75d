package dev.rnnplayground.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.model.Param;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our optimizers against torch.optim: three scalar parameters, the same five gradients, and the
 * parameter values torch reached after every step. The golden file comes from
 * {@code src/test/resources/golden/make_optimizer_golden.py} (torch 1.13, float64, torch's
 * default hyperparameters: Adagrad eps 1e-10 and initial accumulator 0, RMSprop alpha 0.99 and
 * eps 1e-8, Adam betas 0.9/0.999 and eps 1e-8; AdamW with nanoGPT's betas 0.9/0.99 and weight
 * decay 0.1).
 */
class OptimizerTest {

    private static final double RELATIVE = 1e-12;

    @ParameterizedTest
    @EnumSource(OptimizerType.class)
    void everyStepMatchesTorchOptim(OptimizerType type) throws IOException {
        Map<?, ?> golden = golden();
        Map<?, ?> expected = (Map<?, ?>) golden.get(type.id());
        double lr = ((Number) expected.get("lr")).doubleValue();
        List<?> grads = (List<?>) golden.get("grads");
        List<?> afterEachStep = (List<?>) expected.get("after_each_step");

        // AdamW's golden decays: its three values are one weight matrix, which our AdamW decays
        boolean decays = expected.containsKey("weight_decay");
        Param w = decays ? Param.matrix("w", 1, 3) : Param.vector("w", 3);
        System.arraycopy(doubles(golden.get("w0")), 0, w.w, 0, 3);
        Optimizer optimizer = decays
                ? Optimizer.create(type, lr, ((Number) expected.get("beta2")).doubleValue(),
                        ((Number) expected.get("weight_decay")).doubleValue())
                : Optimizer.create(type, lr);
        for (int step = 0; step < grads.size(); step++) {
            System.arraycopy(doubles(grads.get(step)), 0, w.dw, 0, 3);
            optimizer.step(List.of(w));
            double[] torch = doubles(afterEachStep.get(step));
            for (int i = 0; i < 3; i++) {
                double tolerance = RELATIVE * Math.max(1, Math.abs(torch[i]));
                assertEquals(torch[i], w.w[i], tolerance,
                        type.id() + " parameter " + i + " after step " + (step + 1));
            }
        }
        assertEquals(grads.size(), optimizer.stepCount(), "steps counted");
    }

    @ParameterizedTest
    @EnumSource(OptimizerType.class)
    void stepClearsTheGradient(OptimizerType type) {
        Param w = Param.vector("w", 2);
        w.dw[0] = 0.5;
        w.dw[1] = -0.25;
        Optimizer.create(type, 0.1).step(List.of(w));
        assertArrayEquals(new double[] {0, 0}, w.dw, 0.0,
                "after a step the gradient is cleared, ready to accumulate the next window's");
    }

    /**
     * Adam's first step, worked by hand: m = (1-b1) g, v = (1-b2) g^2; after bias correction
     * m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps): about lr, whatever the size
     * of the gradient. That is why Adam is forgiving about the scale of the loss.
     */
    @Test
    void adamFirstStepIsLearningRateTimesSignOfGradient() {
        Param w = Param.vector("w", 3);
        double[] g = {1e-3, -50, 2};
        System.arraycopy(g, 0, w.dw, 0, 3);
        double lr = 0.01;
        Optimizer.create(OptimizerType.ADAM, lr).step(List.of(w));
        for (int i = 0; i < 3; i++) {
            double expected = -lr * g[i] / (Math.abs(g[i]) + 1e-8);
            assertEquals(expected, w.w[i], 1e-15, "element " + i);
        }
    }

    @Test
    void stateIsNamedByBufferAndParameterForCheckpoints() {
        Param w = Param.vector("rnn.bias_hh_l0", 2);
        Optimizer adam = Optimizer.create(OptimizerType.ADAM, 0.01);
        w.dw[0] = 1;
        adam.step(List.of(w));
        assertEquals(List.of("exp_avg.rnn.bias_hh_l0", "exp_avg_sq.rnn.bias_hh_l0"), List.copyOf(adam.state().keySet()));
        assertArrayEquals(new double[] {0.1, 0}, adam.state().get("exp_avg.rnn.bias_hh_l0"), 1e-15);
    }

    private static Map<?, ?> golden() throws IOException {
        try (InputStream in = OptimizerTest.class.getResourceAsStream("/golden/optimizer_golden.json")) {
            assertNotNull(in, "missing test resource golden/optimizer_golden.json (run make_optimizer_golden.py)");
            return (Map<?, ?>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static double[] doubles(Object list) {
        List<?> l = (List<?>) list;
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) d[i] = ((Number) l.get(i)).doubleValue();
        return d;
    }
}
