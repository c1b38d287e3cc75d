package dev.rnnplayground.core.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GradientCheckTest {

    @ParameterizedTest(name = "{0} with {1} layer(s)")
    @CsvSource({"RNN,1", "RNN,2", "LSTM,1", "LSTM,2", "GRU,1", "GRU,2", "LSTM,3", "BIGRAM,1", "GPT,1", "GPT,2", "ATTENTIVE_LSTM,1", "ATTENTIVE_LSTM,2"})
    void analyticGradientsMatchCentralDifferences(CellType cell, int layers) {
        GradientCheck.Result result = GradientCheck.run(cell, layers, 42);
        for (GradientCheck.ParamResult p : result.params()) {
            assertTrue(p.passed(), () -> String.format(
                    "%s: max relative error %.3e (abs %.3e) at element %d: analytic %.10e, numeric %.10e",
                    p.name(), p.maxRelativeError(), p.maxAbsoluteError(), p.worstIndex(), p.analytic(), p.numeric()));
            assertTrue(p.checked() > 0);
        }
    }

    /**
     * The negative control: a gradient off by 0.1% in one element must fail the check, for every
     * parameter of every cell, and leave the other parameters passing.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"RNN", "LSTM", "GRU", "BIGRAM", "GPT", "ATTENTIVE_LSTM"})
    void aGradientOffByATenthOfAPercentFails(CellType cell) {
        int parameters = GradientCheck.run(cell, 2, 42).params().size();
        for (int spoiled = 0; spoiled < parameters; spoiled++) {
            int target = spoiled;
            GradientCheck.Result result = GradientCheck.run(cell, 2, 42, model -> {
                Param p = model.parameters().get(target);
                int largest = 0;
                for (int i = 1; i < p.size(); i++) if (Math.abs(p.dw[i]) > Math.abs(p.dw[largest])) largest = i;
                p.dw[largest] *= 1.001;
            });
            for (int i = 0; i < parameters; i++) {
                GradientCheck.ParamResult p = result.params().get(i);
                if (i == target) {
                    assertFalse(p.passed(), p.name() + " passed with a gradient 0.1% off: " + p);
                } else {
                    assertTrue(p.passed(), p.name() + " failed although only another parameter was spoiled: " + p);
                }
            }
        }
    }
}
