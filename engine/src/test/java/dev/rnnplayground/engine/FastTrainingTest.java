package dev.rnnplayground.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.optim.LearningRateSchedule;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.train.Checkpoint;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole runs on the fast engine: 200 Adam steps end within 1e-3 (relative, by norm) of the
 * reference engine's weights; the same seed gives bit-identical weights; a run checkpointed and
 * resumed ends bit-identical to one never stopped; all of it with the batch split across two threads too.
 */
class FastTrainingTest {
    private static final String TEXT = TestText.make(20_000, 21);

    private static TrainConfig config(CellType cell, long steps, double dropout) {
        return TrainConfig.builder().cell(cell).hidden(16).layers(2).seqLength(16).batchSize(4).learningRate(2e-3)
                .steps(steps).valFraction(0.05).seed(17).evalEvery(0).checkpointEvery(0).sampleEvery(0).dropout(dropout).build();
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void twoHundredAdamStepsEndNearTheReference(CellType cell) {
        Trainer reference = FastEngineTest.trainer(config(cell, 200, 0), TEXT, false);
        Trainer fast = FastEngineTest.trainer(config(cell, 200, 0), TEXT, true);
        while (!reference.isDone()) {
            reference.step();
            fast.step();
        }
        assertWeightsNear(reference, fast, 1e-3, "after 200 steps");
        double refVal = reference.validationLoss();
        assertEquals(refVal, fast.validationLoss(), 1e-3 * refVal, "validation loss");
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void twoThreadsEndNearTheReference(CellType cell) {
        Trainer reference = FastEngineTest.trainer(config(cell, 200, 0.25), TEXT, false);
        Trainer fast = new Trainer(config(cell, 200, 0.25), TEXT, null, Engines.factory(Engines.Choice.FAST, 2));
        while (!reference.isDone()) {
            reference.step();
            fast.step();
        }
        assertWeightsNear(reference, fast, 1e-3, "after 200 steps on 2 threads");
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void sameSeedGivesBitIdenticalWeights(CellType cell) {
        sameSeedTwice(cell, 1);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void sameSeedAndThreadCountGiveBitIdenticalWeights(CellType cell) {
        sameSeedTwice(cell, 2);
    }

    private static void sameSeedTwice(CellType cell, int threads) {
        Trainer a = new Trainer(config(cell, 30, 0.25), TEXT, null, Engines.factory(Engines.Choice.FAST, threads));
        Trainer b = new Trainer(config(cell, 30, 0.25), TEXT, null, Engines.factory(Engines.Choice.FAST, threads));
        while (!a.isDone()) {
            assertEquals(a.step().loss(), b.step().loss(), 0.0);
        }
        assertSameWeights(a, b);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void resumedRunEndsBitIdentical(CellType cell) {
        resumeAtStep17(cell, 1);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void resumedRunOnTwoThreadsEndsBitIdentical(CellType cell) {
        resumeAtStep17(cell, 2);
    }

    private static void resumeAtStep17(CellType cell, int threads) {
        Trainer whole = new Trainer(config(cell, 40, 0.25), TEXT, null, Engines.factory(Engines.Choice.FAST, threads));
        while (!whole.isDone()) whole.step();

        Trainer first = new Trainer(config(cell, 40, 0.25), TEXT, null, Engines.factory(Engines.Choice.FAST, threads));
        for (int i = 0; i < 17; i++) first.step();
        byte[] checkpoint = Checkpoint.write(first);
        Trainer resumed = Checkpoint.resume(checkpoint, TEXT, Engines.factory(Engines.Choice.FAST, threads));
        while (!resumed.isDone()) resumed.step();
        assertSameWeights(whole, resumed);
    }

    /**
     * nanoGPT's recipe on the fast engine: AdamW (weight decay 0.1 on the matrices, beta2 0.99),
     * 20 warm-up steps and a cosine decay, clipping at 1. It ends near the reference after 200
     * steps, and a run stopped inside the warm-up resumes to the same bits.
     */
    @Test
    void nanoGptsRecipeEndsNearTheReferenceAndResumesExactly() {
        TrainConfig recipe = config(CellType.LSTM, 200, 0).toBuilder().optimizer(OptimizerType.ADAMW).learningRate(3e-3)
                .beta2(0.99).weightDecay(0.1).warmup(20).lrSchedule(LearningRateSchedule.Shape.COSINE).clip(1).build();
        Trainer reference = FastEngineTest.trainer(recipe, TEXT, false);
        Trainer fast = FastEngineTest.trainer(recipe, TEXT, true);
        while (!reference.isDone()) reference.step();
        while (!fast.isDone()) fast.step();
        List<Param> expected = reference.model().parameters(), actual = fast.model().parameters();
        for (int i = 0; i < expected.size(); i++) {
            double rel = FastEngineTest.relativeDifference(expected.get(i).w, actual.get(i).w);
            assertTrue(rel <= 1e-3, expected.get(i).name + " differs by " + rel + " relative after 200 AdamW steps");
        }
        Trainer first = FastEngineTest.trainer(recipe, TEXT, true);
        for (int i = 0; i < 13; i++) first.step();
        Trainer resumed = Checkpoint.resume(Checkpoint.write(first), TEXT, Engines.factory(Engines.Choice.FAST, Engines.DEFAULT_THREADS));
        while (!resumed.isDone()) resumed.step();
        assertSameWeights(fast, resumed);
    }

    /**
     * A model object taken from the trainer before training sees the trained weights once the
     * trainer samples or is asked for the model: the fast engine's numbers are copied out.
     */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void theModelSeenBySamplingIsTheTrainedOne(CellType cell) {
        Trainer fast = FastEngineTest.trainer(config(cell, 40, 0), TEXT, true);
        dev.rnnplayground.core.model.LanguageModel early = fast.model();
        while (!fast.isDone()) fast.step();
        fast.sample("", 1, 0);
        int[] held = early.vocab().encode(TEXT.substring(19_000)).ids();
        double expected = fast.validationLoss();
        assertEquals(dev.rnnplayground.core.train.Evaluator.meanLoss(early, held, 4), expected, 1e-3 * expected);
    }

    /** Every parameter of {@code fast} within {@code tolerance} (relative, by norm) of the reference's. */
    static void assertWeightsNear(Trainer reference, Trainer fast, double tolerance, String when) {
        List<Param> expected = reference.model().parameters(), actual = fast.model().parameters();
        for (int i = 0; i < expected.size(); i++) {
            double rel = FastEngineTest.relativeDifference(expected.get(i).w, actual.get(i).w);
            assertTrue(rel <= tolerance, expected.get(i).name + " differs by " + rel + " relative " + when);
        }
    }

    static void assertSameWeights(Trainer a, Trainer b) {
        List<Param> x = a.model().parameters(), y = b.model().parameters();
        for (int i = 0; i < x.size(); i++) assertArrayEquals(x.get(i).w, y.get(i).w, 0.0, x.get(i).name);
    }
}
