package dev.rnnplayground.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.ModelFormatException;
import dev.rnnplayground.core.io.SafeTensors;
import dev.rnnplayground.core.io.TensorFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.HiddenState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stopped run resumed from its checkpoint must reach bit for bit the weights of a run that
 * never stopped: same optimizer state, same data position, same carried hidden state, same
 * sampling generator.
 */
class CheckpointTest {

    /** 70 symbols, B = 2, T = 8: streams of 34, four windows per epoch, so 10 steps cross two epoch boundaries. */
    private static final String TEXT = "It was the best of times, it was the worst of times, it was the age of";
    private static final int STEPS = 10;

    private static TrainConfig config(CellType cell, OptimizerType optimizer, int batch) {
        return TrainConfig.builder().cell(cell).hidden(6).layers(2).seqLength(8).batchSize(batch)
                .optimizer(optimizer).steps(STEPS).valFraction(0).seed(21).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
    }

    @ParameterizedTest(name = "{0} {1} batch {2}, stopped after {3}")
    @CsvSource({"LSTM,ADAM,2,5", "LSTM,ADAM,2,4", "GRU,ADAM,2,7", "RNN,ADAM,1,5",
                "LSTM,SGD,2,5", "LSTM,ADAGRAD,2,5", "LSTM,RMSPROP,2,5"})
    void resumedRunEndsWithExactlyTheUninterruptedWeights(CellType cell, OptimizerType optimizer, int batch, int stopAfter) {
        TrainConfig config = config(cell, optimizer, batch);
        Trainer uninterrupted = new Trainer(config, TEXT, null);
        while (!uninterrupted.isDone()) uninterrupted.step();

        Trainer first = new Trainer(config, TEXT, null);
        for (int i = 0; i < stopAfter; i++) first.step();
        byte[] checkpoint = Checkpoint.write(first);
        Trainer resumed = Checkpoint.resume(checkpoint, TEXT);
        assertEquals(stopAfter, resumed.stepsDone());
        assertEquals(config, resumed.config(), "the config travels in the checkpoint");
        while (!resumed.isDone()) resumed.step();

        assertEquals(STEPS, resumed.stepsDone());
        for (int i = 0; i < uninterrupted.model().parameters().size(); i++) {
            Param expected = uninterrupted.model().parameters().get(i);
            assertArrayEquals(expected.w, resumed.model().parameters().get(i).w, 0.0, expected.name);
        }
        assertEquals(uninterrupted.optimizer().state().keySet(), resumed.optimizer().state().keySet());
        for (String buffer : uninterrupted.optimizer().state().keySet()) {
            assertArrayEquals(uninterrupted.optimizer().state().get(buffer), resumed.optimizer().state().get(buffer), 0.0, buffer);
        }
        for (int l = 0; l < config.layers(); l++) {
            assertArrayEquals(((HiddenState) uninterrupted.carriedState()).hidden(l), ((HiddenState) resumed.carriedState()).hidden(l), 0.0);
        }
        assertEquals(uninterrupted.sample("it ", 40, 1.0), resumed.sample("it ", 40, 1.0),
                "the sampling generator resumes too");
    }

    @Test
    void aCheckpointTakenAtTheVeryEndOfAnEpochResumes() {
        // 17 symbols, B = 1, T = 8: one stream of exactly 16 = 2 windows, so after step 2 the data
        // position sits at the end of the stream and the next step must wrap to a new epoch
        String text = "abcdefghabcdefgha";
        TrainConfig config = TrainConfig.builder().cell(CellType.GRU).hidden(4).seqLength(8).learningRate(1e-2)
                .steps(4).valFraction(0).seed(2).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
        Trainer uninterrupted = new Trainer(config, text, null);
        while (!uninterrupted.isDone()) uninterrupted.step();
        Trainer first = new Trainer(config, text, null);
        first.step();
        first.step();
        Trainer resumed = Checkpoint.resume(Checkpoint.write(first), text);
        while (!resumed.isDone()) resumed.step();
        for (int i = 0; i < uninterrupted.model().parameters().size(); i++) {
            Param expected = uninterrupted.model().parameters().get(i);
            assertArrayEquals(expected.w, resumed.model().parameters().get(i).w, 0.0, expected.name);
        }
    }

    @Test
    void theCarriedStateIsPartOfTheCheckpoint() {
        // without the carry, a run stopped mid-epoch would resume from a blank memory and drift
        Trainer trainer = new Trainer(config(CellType.LSTM, OptimizerType.ADAM, 2), TEXT, null);
        trainer.step();
        Trainer resumed = Checkpoint.resume(Checkpoint.write(trainer), TEXT);
        double[] carried = ((HiddenState) trainer.carriedState()).cell(1);
        assertTrue(java.util.Arrays.stream(carried).anyMatch(v -> v != 0), "after one step the state is not zero");
        assertArrayEquals(carried, ((HiddenState) resumed.carriedState()).cell(1), 0.0);
        assertArrayEquals(((HiddenState) trainer.carriedState()).hidden(0), ((HiddenState) resumed.carriedState()).hidden(0), 0.0);
    }

    @Test
    void dropoutTravelsInTheCheckpointAndAnOldCheckpointMeansNone() {
        TrainConfig base = config(CellType.LSTM, OptimizerType.ADAM, 2);
        TrainConfig withDropout = base.toBuilder().dropout(0.25).build();
        byte[] checkpoint = Checkpoint.write(new Trainer(withDropout, TEXT, null));
        assertEquals(0.25, Checkpoint.resume(checkpoint, TEXT).config().dropout(), 0.0);

        // a checkpoint written before dropout existed has no "dropout" in its config
        TensorFile file = SafeTensors.read(checkpoint);
        Map<String, String> meta = new HashMap<>(file.metadata());
        String config = meta.get("config");
        String old = config.replaceAll(",\\s*\"dropout\"\\s*:\\s*\"[^\"]*\"", "");
        assertTrue(!old.contains("dropout") && !old.equals(config), old);
        meta.put("config", old);
        byte[] before = SafeTensors.write(new ArrayList<>(file.tensors().values()), meta, DType.F64);
        Trainer resumed = Checkpoint.resume(before, TEXT);
        assertEquals(0.0, resumed.config().dropout(), 0.0);
        assertEquals(base, resumed.config());
    }

    @Test
    void aPlainModelFileIsNotACheckpoint() {
        CharRnn model = new CharRnn(CellType.RNN, Vocab.of(TEXT), 4, 1).initialize(1);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Checkpoint.resume(ModelFile.write(model, DType.F64), TEXT));
        assertTrue(e.getMessage().contains("not a training checkpoint"), e.getMessage());
    }

    @Test
    void anUnknownCheckpointVersionIsRejectedByName() {
        Trainer trainer = new Trainer(config(CellType.RNN, OptimizerType.SGD, 1), TEXT, null);
        TensorFile file = SafeTensors.read(Checkpoint.write(trainer));
        Map<String, String> meta = new HashMap<>(file.metadata());
        meta.put("checkpoint_version", "99");
        byte[] future = SafeTensors.write(new ArrayList<>(file.tensors().values()), meta, DType.F64);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoint.resume(future, TEXT));
        assertTrue(e.getMessage().contains("\"99\"") && e.getMessage().contains("reads 1"), e.getMessage());
    }
}
