package dev.rnnplayground.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.optim.Optimizer;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.HiddenState;
import dev.rnnplayground.core.train.ReferenceEngine;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast engine against the reference engine, tolerance by tolerance (llm.c's test_gpt2):
 * on random models of every cell with 1 to 3 layers, batch 1 and 32, one window's loss agrees to
 * 1e-5 relative and every parameter's gradient to 1e-4 relative (by norm); with dropout too; and
 * the evaluation loss agrees to 1e-5. With the batch split across threads, two windows in a row
 * (so the carried state crosses from one to the next in every group) agree just as well.
 */
class FastEngineTest {
    static final int HIDDEN = 24, STEPS = 20;

    @BeforeAll
    static void openBlasLoads() {
        assertNull(NativeBlas.load(), "OpenBLAS must load from its Maven jar");
    }

    static Stream<Arguments> models() {
        return CellType.RECURRENT.stream().flatMap(cell -> Stream.of(1, 2, 3).flatMap(layers ->
                Stream.of(1, 32).map(batch -> Arguments.of(cell, layers, batch))));
    }

    @ParameterizedTest(name = "{0}, {1} layers, batch {2}")
    @MethodSource("models")
    void oneWindowMatchesTheReference(CellType cell, int layers, int batch) {
        compareOneWindow(cell, layers, batch, 0);
    }

    @ParameterizedTest(name = "{0}, {1} layers, batch {2}, dropout 0.3")
    @MethodSource("models")
    void oneWindowWithDropoutMatchesTheReference(CellType cell, int layers, int batch) {
        compareOneWindow(cell, layers, batch, 0.3);
    }

    static Stream<Arguments> splitModels() {
        return CellType.RECURRENT.stream().flatMap(cell -> Stream.of(1, 2).flatMap(layers ->
                Stream.of(0.0, 0.3).map(dropout -> Arguments.of(cell, layers, dropout))));
    }

    /** Batch 32 in three groups of 11, 11 and 10 streams, one thread each. */
    @ParameterizedTest(name = "{0}, {1} layers, dropout {2}, 3 threads")
    @MethodSource("splitModels")
    void twoWindowsSplitAcrossThreadsMatchTheReference(CellType cell, int layers, double dropout) {
        compareWindows(cell, layers, 32, dropout, 3, 2);
    }

    private static void compareOneWindow(CellType cell, int layers, int batch, double dropout) {
        compareWindows(cell, layers, batch, dropout, 1, 1);
    }

    private static void compareWindows(CellType cell, int layers, int batch, double dropout, int threads, int windows) {
        String text = TestText.make(4000, 11);
        Vocab vocab = Vocab.of(text);
        TrainConfig config = config(cell, layers, batch, dropout);
        CharRnn reference = new CharRnn(cell, vocab, HIDDEN, layers).initialize(5);
        CharRnn copy = reference.copy();
        HiddenState refState = randomState(reference, batch, 9);
        HiddenState fastState = randomState(reference, batch, 9);
        ReferenceEngine ref = new ReferenceEngine(config, reference, Optimizer.create(OptimizerType.ADAM, 2e-3), refState);
        FastEngine fast = new FastEngine(config, copy, Optimizer.create(OptimizerType.ADAM, 2e-3), fastState, threads);
        int[][] inputs = new int[batch][STEPS], targets = new int[batch][STEPS];
        int[] ids = vocab.encode(text).ids();
        for (int window = 0; window < windows; window++) {
            if (window > 0) {   // gradients of the last window only, as after an optimizer step
                reference.parameters().forEach(p -> java.util.Arrays.fill(p.dw, 0));
                fast.clearGradients();
            }
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < STEPS; t++) {
                    inputs[b][t] = ids[b * 100 + window * STEPS + t];
                    targets[b][t] = ids[b * 100 + window * STEPS + t + 1];
                }
            }
            double refLoss = ref.lossAndGradients(inputs, targets, 7 + window);
            double fastLoss = fast.lossAndGradients(inputs, targets, 7 + window);
            assertEquals(refLoss, fastLoss, 1e-5 * refLoss, "loss of window " + window);
        }
        double[][] fastGrads = fast.gradients();
        List<Param> params = reference.parameters();
        for (int i = 0; i < params.size(); i++) {
            double rel = relativeDifference(params.get(i).dw, fastGrads[i]);
            assertTrue(rel <= 1e-4, params.get(i).name + ": gradients differ by " + rel + " relative (by norm)");
        }
        assertEquals(ref.gradientNorm(), fast.gradientNorm(), 1e-4 * ref.gradientNorm(), "gradient norm");
    }

    @ParameterizedTest(name = "{0}, {1} layers, batch {2}")
    @MethodSource("models")
    void evaluationLossMatchesTheReference(CellType cell, int layers, int batch) {
        String text = TestText.make(3000, 12);
        Vocab vocab = Vocab.of(text);
        TrainConfig config = config(cell, layers, batch, 0);
        CharRnn model = new CharRnn(cell, vocab, HIDDEN, layers).initialize(6);
        ReferenceEngine ref = new ReferenceEngine(config, model, Optimizer.create(OptimizerType.ADAM, 2e-3), model.zeroState(batch));
        FastEngine fast = new FastEngine(config, model.copy(), Optimizer.create(OptimizerType.ADAM, 2e-3), model.zeroState(batch));
        int[] ids = vocab.encode(text).ids();
        double expected = ref.meanLoss(ids, batch);
        assertEquals(expected, fast.meanLoss(ids, batch), 1e-5 * expected);
    }

    static TrainConfig config(CellType cell, int layers, int batch, double dropout) {
        return TrainConfig.builder().cell(cell).hidden(HIDDEN).layers(layers).seqLength(STEPS).batchSize(batch)
                .learningRate(2e-3).steps(200).valFraction(0.1).seed(3).evalEvery(0).checkpointEvery(0).sampleEvery(0)
                .dropout(dropout).build();
    }

    static HiddenState randomState(CharRnn model, int batch, long seed) {
        HiddenState s = model.zeroState(batch);
        SplitMix64 rng = new SplitMix64(seed);
        for (int l = 0; l < s.layers(); l++) {
            double[] h = s.hidden(l);
            for (int i = 0; i < h.length; i++) h[i] = 2 * rng.nextDouble() - 1;
            double[] c = s.cell(l);
            if (c != null) for (int i = 0; i < c.length; i++) c[i] = 2 * rng.nextDouble() - 1;
        }
        // both engines start from exactly representable float32 values
        for (int l = 0; l < s.layers(); l++) {
            roundToFloat(s.hidden(l));
            if (s.cell(l) != null) roundToFloat(s.cell(l));
        }
        return s;
    }

    static void roundToFloat(double[] xs) {
        for (int i = 0; i < xs.length; i++) xs[i] = (float) xs[i];
    }

    static double relativeDifference(double[] expected, double[] actual) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
    }

    /** Trainer on either engine, for the longer comparisons in {@link FastTrainingTest}. */
    static Trainer trainer(TrainConfig config, String text, boolean fast) {
        return new Trainer(config, text, null, fast ? Engines.factory(Engines.Choice.FAST, Engines.DEFAULT_THREADS)
                : Engines.factory(Engines.Choice.REFERENCE, 1));
    }
}
