package dev.rnnplayground.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The training loop: what one step does to the weights, that training learns, and that it stops when it blows up. */
class TrainerTest {

    private static final String TEXT = "hello world, hello there, hello again.";
    private static final int T = 10;

    private static TrainConfig config(CellType cell, OptimizerType optimizer, double lr, double clip, long steps) {
        return TrainConfig.builder().cell(cell).hidden(8).seqLength(T).optimizer(optimizer).learningRate(lr)
                .clip(clip).steps(steps).valFraction(0).seed(3).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
    }

    /**
     * With one stream, plain SGD at learning rate 1 and no clipping, the first step is
     * w_new = w_old - dL/dw, where L is the mean loss of text[0..T-1] -> text[1..T] from the zero state.
     */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void firstStepSubtractsTheGradientOfTheFirstWindow(CellType cell) {
        Trainer trainer = new Trainer(config(cell, OptimizerType.SGD, 1.0, 0, 1), TEXT, null);
        CharRnn before = ((CharRnn) trainer.model()).copy();
        int[] ids = before.vocab().encode(TEXT).ids();
        double loss = before.lossAndGradients(new int[][] {Arrays.copyOfRange(ids, 0, T)},
                new int[][] {Arrays.copyOfRange(ids, 1, T + 1)}, before.zeroState(1));

        StepReport report = trainer.step();

        assertEquals(1, report.step());
        assertEquals(loss, report.loss(), 0.0);
        assertEquals(GradientClipping.globalNorm(before.parameters()), report.gradientNorm(), 0.0);
        assertFalse(report.clipped());
        assertEquals(T, report.charactersSeen());
        assertEquals(1.0 / 3, report.epoch(), 1e-15, "38 symbols make one stream of 37: three windows of 10 per epoch");
        for (int i = 0; i < before.parameters().size(); i++) {
            Param old = before.parameters().get(i);
            double[] expected = new double[old.size()];
            for (int k = 0; k < expected.length; k++) expected[k] = old.w[k] - old.dw[k];
            assertArrayEquals(expected, ((CharRnn) trainer.model()).parameters().get(i).w, 0.0, old.name);
        }
        assertTrue(trainer.isDone());
        assertThrows(IllegalStateException.class, trainer::step);
    }

    @Test
    void clippedStepMovesTheWeightsByExactlyTheLimit() {
        double limit = 0.01;   // far below the first window's gradient norm
        Trainer trainer = new Trainer(config(CellType.LSTM, OptimizerType.SGD, 1.0, limit, 1), TEXT, null);
        CharRnn before = ((CharRnn) trainer.model()).copy();
        StepReport report = trainer.step();
        assertTrue(report.gradientNorm() > limit, "the test needs a gradient above the limit");
        assertTrue(report.clipped());
        double moved = 0;
        for (int i = 0; i < before.parameters().size(); i++) {
            double[] a = before.parameters().get(i).w, b = ((CharRnn) trainer.model()).parameters().get(i).w;
            for (int k = 0; k < a.length; k++) moved += (a[k] - b[k]) * (a[k] - b[k]);
        }
        assertEquals(limit, Math.sqrt(moved), 1e-6, "lr 1 times a gradient rescaled to norm " + limit);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void learnsARepetitiveTextWellBelowAUniformGuess(CellType cell) {
        String text = "hello world ".repeat(40);
        TrainConfig config = TrainConfig.builder().cell(cell).hidden(24).seqLength(24).learningRate(1e-2)
                .steps(300).valFraction(0.1).seed(1).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
        Trainer trainer = new Trainer(config, text, null);
        double uniform = Math.log(((CharRnn) trainer.model()).vocab().size());   // ln 8 = 2.08 nats
        List<Double> losses = new ArrayList<>();
        while (!trainer.isDone()) losses.add(trainer.step().loss());
        assertTrue(losses.get(0) > 0.8 * uniform, "an untrained model starts near a uniform guess: " + losses.get(0));
        double lastTen = losses.subList(losses.size() - 10, losses.size()).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(lastTen < 0.1 * uniform, "mean loss of the last 10 steps " + lastTen + " vs ln V = " + uniform);
        double validation = trainer.validationLoss();
        assertTrue(validation < 0.1 * uniform, "held-out loss " + validation);
        Sampler.Sample greedy = Sampler.sample(trainer.model(), new SampleConfig("hello w", 17, 0, 0, 1));
        assertEquals("orld hello world ", greedy.text());
    }

    @Test
    void aHugeLearningRateStopsTrainingWithAClearMessage() {
        Trainer trainer = new Trainer(config(CellType.RNN, OptimizerType.SGD, 10, 0, 200), TEXT.repeat(5), null);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> {
            while (!trainer.isDone()) trainer.step();
        });
        assertTrue(e.getMessage().startsWith("training diverged at step "), e.getMessage());
        assertTrue(e.getMessage().contains("try a lower learning rate"), e.getMessage());

        // the same run at a sensible learning rate goes the distance
        Trainer calm = new Trainer(config(CellType.RNN, OptimizerType.SGD, 0.1, 0, 200), TEXT.repeat(5), null);
        while (!calm.isDone()) calm.step();
        assertEquals(200, calm.stepsDone());
    }

    @Test
    void theDivergingStepLeavesTheWeightsAsTheyWere() {
        Trainer trainer = new Trainer(config(CellType.RNN, OptimizerType.SGD, 10, 0, 200), TEXT.repeat(5), null);
        CharRnn lastGood = ((CharRnn) trainer.model()).copy();
        try {
            while (!trainer.isDone()) {
                lastGood = ((CharRnn) trainer.model()).copy();
                trainer.step();
            }
            fail("learning rate 10 with no clipping should diverge within 200 steps");
        } catch (TrainingDivergedException expected) {
            for (int i = 0; i < lastGood.parameters().size(); i++) {
                assertArrayEquals(lastGood.parameters().get(i).w, ((CharRnn) trainer.model()).parameters().get(i).w, 0.0,
                        "the update from the exploded window is not applied");
            }
        }
    }

    @Test
    void aNanInTheWeightsIsReportedAsDivergenceAtOnce() {
        CharRnn broken = new CharRnn(CellType.GRU, Vocab.of(TEXT), 8, 1).initialize(1);
        broken.parameter("decoder.bias").w[2] = Double.NaN;
        Trainer trainer = new Trainer(config(CellType.GRU, OptimizerType.ADAM, 1e-3, 5, 10), TEXT, broken);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::step);
        assertTrue(e.getMessage().startsWith("training diverged at step 1: the loss became NaN"), e.getMessage());
    }

    @Test
    void anInvalidConfigIsRejectedWithEveryProblem() {
        TrainConfig bad = TrainConfig.builder().cell(CellType.LSTM).hidden(0).layers(9).seqLength(T)
                .optimizer(OptimizerType.SGD).learningRate(0.1).clip(0).steps(1).valFraction(0).seed(3).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(bad, TEXT, null));
        assertTrue(e.getMessage().contains("hidden:") && e.getMessage().contains("layers:"), e.getMessage());
    }

    @Test
    void anInitialModelOfTheWrongShapeIsRejected() {
        CharRnn gru = new CharRnn(CellType.GRU, Vocab.of(TEXT), 8, 1).initialize(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(config(CellType.LSTM, OptimizerType.SGD, 0.1, 0, 1), TEXT, gru));
        assertTrue(e.getMessage().contains("gru") && e.getMessage().contains("lstm"), e.getMessage());
    }
}
