package dev.rnnplayground.core.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rnnplayground.core.lab.Inspector;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.sample.Generator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gate values the page draws (Inspector's {@code gates}, Generator's {@code gates}) are the
 * ones the cell used: put back into the cell's equations they give the states it produced.
 */
class GateValuesTest {

    private static final String TEXT = "to be or not to be, that";
    private static final int H = 6;

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void gatesRebuildTheStatesThroughTheCellsEquations(CellType cell) {
        CharRnn model = new CharRnn(cell, Vocab.of(TEXT), H, 2).initialize(11);
        Inspector.Inspection in = Inspector.inspect(model, TEXT);
        int steps = in.symbols().length;
        for (int l = 0; l < 2; l++) {
            for (int t = 0; t < steps; t++) {
                double[] g = in.gates()[l][t];
                assertEquals(cell.gates() * H, g.length);
                double[] h = in.hidden()[l][t];
                double[] hPrev = t == 0 ? new double[H] : in.hidden()[l][t - 1];
                for (int j = 0; j < H; j++) {
                    double expected = switch (cell) {
                        case RNN -> Math.tanh(g[j]);
                        case BIGRAM, GPT, ATTENTIVE_LSTM -> throw new AssertionError("a " + cell.id() + " is not a plain recurrent cell");
                        case GRU -> (1 - g[H + j]) * g[2 * H + j] + g[H + j] * hPrev[j];
                        case LSTM -> {
                            double cPrev = t == 0 ? 0 : in.cellStates()[l][t - 1][j];
                            double c = g[H + j] * cPrev + g[j] * g[2 * H + j];
                            assertEquals(in.cellStates()[l][t][j], c, 1e-12, "c_t = f c_{t-1} + i g");
                            yield g[3 * H + j] * Math.tanh(c);
                        }
                    };
                    assertEquals(h[j], expected, 1e-12, cell + " layer " + l + " step " + t + " unit " + j);
                }
            }
        }
        assertNull(in.withoutGates().gates());
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void theGeneratorReportsTheSameGatesAsTheInspector(CellType cell) {
        CharRnn model = new CharRnn(cell, Vocab.of(TEXT), H, 2).initialize(3);
        Inspector.Inspection in = Inspector.inspect(model, TEXT);
        Generator generator = new Generator(model, 1, 0, 1);
        for (int t = 0; t < in.symbols().length; t++) {
            generator.feed(model.vocab().indexOf(TEXT.codePointAt(t)));
            for (int l = 0; l < 2; l++) assertArrayEquals(in.gates()[l][t], generator.gates(l), 1e-12);
        }
    }
}
