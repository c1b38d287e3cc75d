package dev.rnnplayground.core.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import org.junit.jupiter.api.Test;

/**
 * Each cell's forward pass against its equations worked out by hand, for a model small enough to
 * follow on paper: V = 3 symbols ("abc"), H = 2 hidden units, one layer, two streams of two steps.
 * The expected values below are written with nothing but Math.tanh and Math.exp, one gate at a
 * time, reading the weights in PyTorch's layout (row r of weight_ih is gate r / H, unit r % H).
 */
class CellForwardTest {

    private static final double TOLERANCE = 1e-14;
    /** Stream 0 reads "ca", stream 1 reads "bb". */
    private static final int[][] INPUTS = {{2, 0}, {1, 1}};

    // --- the vanilla RNN, every number written out ---

    @Test
    void rnnFollowsTanhOfBothAffineMaps() {
        CharRnn model = new CharRnn(CellType.RNN, Vocab.of("abc"), 2, 1);
        set(model, "rnn.weight_ih_l0", 0.5, -0.3, 0.8,
                                       -0.7, 0.2, 0.4);
        set(model, "rnn.weight_hh_l0", 0.9, -0.6,
                                       0.3, 0.5);
        set(model, "rnn.bias_ih_l0", 0.1, -0.2);
        set(model, "rnn.bias_hh_l0", 0.05, 0.15);
        set(model, "decoder.weight", 1.0, -0.5,
                                     0.3, 0.8,
                                     -1.2, 0.4);
        set(model, "decoder.bias", 0.1, 0.0, -0.1);
        WindowTrace trace = run(model);

        // stream 0, step 0: reads 'c' (column 2) from h = 0
        double h00 = Math.tanh(0.8 + 0.1 + 0.05);
        double h01 = Math.tanh(0.4 - 0.2 + 0.15);
        // stream 0, step 1: reads 'a' (column 0)
        double h10 = Math.tanh(0.5 + 0.1 + 0.9 * h00 - 0.6 * h01 + 0.05);
        double h11 = Math.tanh(-0.7 - 0.2 + 0.3 * h00 + 0.5 * h01 + 0.15);
        assertArrayEquals(new double[] {h00, h01}, trace.hidden(0, 0, 0), TOLERANCE);
        assertArrayEquals(new double[] {h10, h11}, trace.hidden(0, 1, 0), TOLERANCE);
        // the decoder: logits = W_dec h + b_dec
        double[] logits = {1.0 * h10 - 0.5 * h11 + 0.1, 0.3 * h10 + 0.8 * h11, -1.2 * h10 + 0.4 * h11 - 0.1};
        assertArrayEquals(logits, trace.logits(1, 0), TOLERANCE);

        // stream 1 reads 'b' (column 1) twice, independently of stream 0
        double g0 = Math.tanh(-0.3 + 0.1 + 0.05);
        double g1 = Math.tanh(0.2 - 0.2 + 0.15);
        double k0 = Math.tanh(-0.3 + 0.1 + 0.9 * g0 - 0.6 * g1 + 0.05);
        double k1 = Math.tanh(0.2 - 0.2 + 0.3 * g0 + 0.5 * g1 + 0.15);
        assertArrayEquals(new double[] {k0, k1}, trace.hidden(0, 1, 1), TOLERANCE);

        // the loss: mean over the 4 predictions of -log softmax(logits)[target]
        int[][] targets = {{0, 1}, {2, 2}};
        double expected = 0;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 2; t++) {
                double[] z = trace.logits(t, b);
                double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
                expected += -Math.log(Math.exp(z[targets[b][t]]) / sum);
            }
        }
        assertEquals(expected / 4, model.loss(trace, targets), TOLERANCE);
    }

    // --- LSTM: gates i, f, g, o as torch.nn.LSTM ---

    @Test
    void lstmUsesGateOrderInputForgetCellOutput() {
        CharRnn model = new CharRnn(CellType.LSTM, Vocab.of("abc"), 2, 1);
        fillDistinct(model);
        Weights w = new Weights(model);
        WindowTrace trace = run(model);

        for (int b = 0; b < 2; b++) {
            double[] h = {0, 0};
            double[] c = {0, 0};
            for (int t = 0; t < 2; t++) {
                int x = INPUTS[b][t];
                double[] hNew = new double[2];
                double[] cNew = new double[2];
                for (int j = 0; j < 2; j++) {
                    double inputGate = sigmoid(w.preActivation(j, x, h));          // rows 0..H-1
                    double forgetGate = sigmoid(w.preActivation(2 + j, x, h));     // rows H..2H-1
                    double candidate = Math.tanh(w.preActivation(4 + j, x, h));    // rows 2H..3H-1
                    double outputGate = sigmoid(w.preActivation(6 + j, x, h));     // rows 3H..4H-1
                    cNew[j] = forgetGate * c[j] + inputGate * candidate;
                    hNew[j] = outputGate * Math.tanh(cNew[j]);
                }
                assertArrayEquals(cNew, trace.cellState(0, t, b), TOLERANCE, "c, stream " + b + " step " + t);
                assertArrayEquals(hNew, trace.hidden(0, t, b), TOLERANCE, "h, stream " + b + " step " + t);
                assertArrayEquals(w.decode(hNew), trace.logits(t, b), TOLERANCE, "logits, stream " + b + " step " + t);
                h = hNew;
                c = cNew;
            }
        }
    }

    // --- GRU: gates r, z, n as torch.nn.GRU ---

    @Test
    void gruResetGateMultipliesTheRecurrentPartIncludingItsBias() {
        CharRnn model = new CharRnn(CellType.GRU, Vocab.of("abc"), 2, 1);
        fillDistinct(model);
        Weights w = new Weights(model);
        WindowTrace trace = run(model);

        double largestDifferenceFromBiasOutside = 0;
        for (int b = 0; b < 2; b++) {
            double[] h = {0, 0};
            for (int t = 0; t < 2; t++) {
                int x = INPUTS[b][t];
                double[] hNew = new double[2];
                for (int j = 0; j < 2; j++) {
                    double resetGate = sigmoid(w.preActivation(j, x, h));          // rows 0..H-1
                    double updateGate = sigmoid(w.preActivation(2 + j, x, h));     // rows H..2H-1
                    int n = 4 + j;                                                 // rows 2H..3H-1
                    double inputPart = w.ih[n][x] + w.bih[n];
                    double hiddenPart = w.hh[n][0] * h[0] + w.hh[n][1] * h[1] + w.bhh[n];
                    double candidate = Math.tanh(inputPart + resetGate * hiddenPart);
                    hNew[j] = (1 - updateGate) * candidate + updateGate * h[j];

                    // the other common GRU variant keeps b_hn outside the reset gate; it must give a different h
                    double variant = Math.tanh(inputPart + resetGate * (hiddenPart - w.bhh[n]) + w.bhh[n]);
                    double variantH = (1 - updateGate) * variant + updateGate * h[j];
                    largestDifferenceFromBiasOutside = Math.max(largestDifferenceFromBiasOutside, Math.abs(variantH - hNew[j]));
                }
                assertArrayEquals(hNew, trace.hidden(0, t, b), TOLERANCE, "h, stream " + b + " step " + t);
                assertArrayEquals(w.decode(hNew), trace.logits(t, b), TOLERANCE, "logits, stream " + b + " step " + t);
                h = hNew;
            }
        }
        assertTrue(largestDifferenceFromBiasOutside > 1e-3, "the weights chosen must tell the two GRU variants apart");
    }

    @Test
    void theStateLeftBehindIsTheLastStepsState() {
        CharRnn model = new CharRnn(CellType.LSTM, Vocab.of("abc"), 2, 1);
        fillDistinct(model);
        HiddenState state = model.zeroState(2);
        WindowTrace trace = model.newTrace(2, 2);
        model.forward(INPUTS, state, trace);
        assertArrayEquals(concat(trace.hidden(0, 1, 0), trace.hidden(0, 1, 1)), state.hidden(0), 0.0);
        assertArrayEquals(concat(trace.cellState(0, 1, 0), trace.cellState(0, 1, 1)), state.cell(0), 0.0);
    }

    // --- helpers ---

    private static WindowTrace run(CharRnn model) {
        WindowTrace trace = model.newTrace(2, 2);
        model.forward(INPUTS, model.zeroState(2), trace);
        return trace;
    }

    private static void set(CharRnn model, String name, double... values) {
        Param p = model.parameter(name);
        assertEquals(p.size(), values.length, name + " size");
        System.arraycopy(values, 0, p.w, 0, values.length);
    }

    /** Distinct, unremarkable values in [-0.6, 0.6] so that swapping any two gates changes the result. */
    private static void fillDistinct(CharRnn model) {
        int k = 0;
        for (Param p : model.parameters()) {
            for (int i = 0; i < p.size(); i++, k++) p.w[i] = 0.1 * ((7 * k) % 13 - 6) + 0.013 * (k % 5);
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The one-layer model's weights copied out as plain 2-D arrays, indexed [row][column] like the equations. */
    private static final class Weights {
        final double[][] ih, hh, dec;
        final double[] bih, bhh, bdec;

        Weights(CharRnn model) {
            ih = rows(model.parameter("rnn.weight_ih_l0"));
            hh = rows(model.parameter("rnn.weight_hh_l0"));
            dec = rows(model.parameter("decoder.weight"));
            bih = model.parameter("rnn.bias_ih_l0").w.clone();
            bhh = model.parameter("rnn.bias_hh_l0").w.clone();
            bdec = model.parameter("decoder.bias").w.clone();
        }

        /** W_ih[row] x + b_ih[row] + W_hh[row] h + b_hh[row], with x one-hot at symbol x. */
        double preActivation(int row, int x, double[] h) {
            return ih[row][x] + bih[row] + hh[row][0] * h[0] + hh[row][1] * h[1] + bhh[row];
        }

        double[] decode(double[] h) {
            double[] z = new double[3];
            for (int v = 0; v < 3; v++) z[v] = dec[v][0] * h[0] + dec[v][1] * h[1] + bdec[v];
            return z;
        }

        private static double[][] rows(Param p) {
            double[][] m = new double[p.rows][p.cols];
            for (int r = 0; r < p.rows; r++) System.arraycopy(p.w, r * p.cols, m[r], 0, p.cols);
            return m;
        }
    }
}
