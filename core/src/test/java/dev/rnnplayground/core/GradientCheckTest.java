package dev.rnnplayground.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GradientCheckTest {

    @ParameterizedTest(name = "{0} with {1} layer(s)")
    @CsvSource({"RNN,1", "RNN,2", "LSTM,1", "LSTM,2", "GRU,1", "GRU,2", "LSTM,3"})
    void analyticGradientsMatchCentralDifferences(CellType cell, int layers) {
        GradientCheck.Result result = GradientCheck.run(cell, layers, 42);
        for (GradientCheck.ParamResult p : result.params()) {
            assertTrue(p.passed(), () -> String.format(
                    "%s: max relative error %.3e (abs %.3e) at element %d: analytic %.10e, numeric %.10e",
                    p.name(), p.maxRelativeError(), p.maxAbsoluteError(), p.worstIndex(), p.analytic(), p.numeric()));
            assertTrue(p.checked() > 0);
        }
    }
}
