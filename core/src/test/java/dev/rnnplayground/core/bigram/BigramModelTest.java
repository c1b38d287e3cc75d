package dev.rnnplayground.core.bigram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.ModelFormatException;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.core.train.Checkpoint;
import dev.rnnplayground.core.train.Evaluator;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The second model family goes through the same trainer, checkpoints, model files, evaluator and
 * writer as the RNNs, with no special case for it anywhere but the model factory.
 */
class BigramModelTest {
    private static final String TEXT = "the cat sat on the mat, the rat sat on the hat; that is that. ".repeat(6);

    private static TrainConfig config(long steps) {
        return TrainConfig.builder().cell(CellType.BIGRAM).seqLength(16).batchSize(4).optimizer(OptimizerType.ADAM)
                .learningRate(0.1).clip(0).steps(steps).valFraction(0).seed(7).evalEvery(0).checkpointEvery(0)
                .sampleEvery(0).build();
    }

    /**
     * Its loss is convex with one minimum, the counted bigram: -1/N sum over pairs of log(count(a, b)
     * / count(a, *)). Training must get there, which the RNNs' losses are then measured against.
     */
    @Test
    void trainingReachesTheCountedBigramsCrossEntropy() {
        Trainer trainer = new Trainer(config(600), TEXT, null);
        int[] ids = trainer.model().vocab().encode(TEXT).ids();
        double uniform = Math.log(trainer.model().vocab().size());
        double first = trainer.step().loss();
        assertEquals(uniform, first, 1e-12, "W = 0 starts at the uniform guess");
        while (!trainer.isDone()) trainer.step();

        Map<Long, Integer> pairs = new HashMap<>();
        Map<Integer, Integer> from = new HashMap<>();
        for (int i = 0; i + 1 < ids.length; i++) {
            pairs.merge((long) ids[i] << 32 | ids[i + 1], 1, Integer::sum);
            from.merge(ids[i], 1, Integer::sum);
        }
        double optimum = 0;
        for (int i = 0; i + 1 < ids.length; i++) {
            optimum -= Math.log((double) pairs.get((long) ids[i] << 32 | ids[i + 1]) / from.get(ids[i]));
        }
        optimum /= ids.length - 1;
        double trained = Evaluator.meanLoss(trainer.model(), ids);
        assertTrue(optimum < uniform / 2, "the text has structure: " + optimum);
        assertEquals(optimum, trained, 0.01, "trained " + trained + " against the counted optimum " + optimum);
    }

    // its gradient is checked, with a negative control, by GradientCheckTest beside the recurrent cells

    @Test
    void aStoppedRunResumesToTheSameWeights() {
        Trainer uninterrupted = new Trainer(config(10), TEXT, null);
        while (!uninterrupted.isDone()) uninterrupted.step();
        Trainer first = new Trainer(config(10), TEXT, null);
        for (int i = 0; i < 4; i++) first.step();
        Trainer resumed = Checkpoint.resume(Checkpoint.write(first), TEXT);
        assertEquals(4, resumed.stepsDone());
        while (!resumed.isDone()) resumed.step();
        assertArrayEquals(uninterrupted.model().parameters().get(0).w, resumed.model().parameters().get(0).w, 0.0);
    }

    @Test
    void aModelFileRoundTripsAndNamesItsTensorLikeKarpathysBigram() {
        Trainer trainer = new Trainer(config(20), TEXT, null);
        while (!trainer.isDone()) trainer.step();
        byte[] file = ModelFile.write(trainer.model(), DType.F64);
        LanguageModel back = ModelFile.readModel(file);
        assertEquals(CellType.BIGRAM, back.kind());
        assertEquals("token_embedding_table.weight", back.parameters().get(0).name);
        assertArrayEquals(trainer.model().parameters().get(0).w, back.parameters().get(0).w, 0.0);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().contains("needs a recurrent network"), e.getMessage());
    }

    @Test
    void theWriterWritesTheSameTextFromTheSameSeed() {
        Trainer trainer = new Trainer(config(50), TEXT, null);
        while (!trainer.isDone()) trainer.step();
        Sampler.Sample a = Sampler.sample(trainer.model(), new SampleConfig("th", 60, 1.0, 0, 5));
        Sampler.Sample b = Sampler.sample(trainer.model(), new SampleConfig("th", 60, 1.0, 0, 5));
        Sampler.Sample c = Sampler.sample(trainer.model(), new SampleConfig("th", 60, 1.0, 0, 6));
        assertEquals(a, b);
        assertNotEquals(a.text(), c.text());
        // greedy: the likeliest symbol after the last one; in this text "o" is always followed by "n"
        assertEquals("n", Sampler.sample(trainer.model(), new SampleConfig("o", 1, 0, 0, 1)).text());
    }
}
