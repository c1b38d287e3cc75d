package dev.rnnplayground.core.attend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.ModelFormatException;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.core.train.Checkpoint;
import dev.rnnplayground.core.train.Evaluator;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The attending LSTM goes through the same trainer, checkpoints, model files, evaluator and writer
 * as the other families. Its forward and backward are checked against PyTorch
 * ({@code io.AttentiveLstmGoldenTest}) and by finite differences ({@code lab.GradientCheckTest}).
 */
class AttentiveLstmTest {
    private static final String TEXT = "the cat sat on the mat, the rat sat on the hat; that is that. ".repeat(6);

    private static TrainConfig config(long steps) {
        return TrainConfig.builder().cell(CellType.ATTENTIVE_LSTM).hidden(16).layers(2).attend(4).seqLength(8).batchSize(2)
                .learningRate(0.02).steps(steps).valFraction(0).seed(7).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
    }

    @Test
    void aShortTrainingRunLearnsTheText() {
        Trainer trainer = new Trainer(config(150), TEXT, null);
        int[] ids = trainer.model().vocab().encode(TEXT).ids();
        double before = Evaluator.meanLoss(trainer.model(), ids);
        while (!trainer.isDone()) trainer.step();
        double after = Evaluator.meanLoss(trainer.model(), ids);
        assertTrue(after < 0.5 * before, "mean loss " + before + " before training, " + after + " after");
    }

    /**
     * Steps 5 to 10 start from the carried state the checkpoint restored (h, c and the last K
     * states): bit-identical weights at the end need all of it back exactly.
     */
    @Test
    void aStoppedRunResumesToTheSameWeights() {
        Trainer uninterrupted = new Trainer(config(10), TEXT, null);
        while (!uninterrupted.isDone()) uninterrupted.step();
        Trainer first = new Trainer(config(10), TEXT, null);
        for (int i = 0; i < 4; i++) first.step();
        Trainer resumed = Checkpoint.resume(Checkpoint.write(first), TEXT);
        assertEquals(4, resumed.stepsDone());
        while (!resumed.isDone()) resumed.step();
        for (int i = 0; i < uninterrupted.model().parameters().size(); i++) {
            Param expected = uninterrupted.model().parameters().get(i);
            assertArrayEquals(expected.w, resumed.model().parameters().get(i).w, 0.0, expected.name);
        }
    }

    @Test
    void aModelFileRoundTripsWithItsLookBack() {
        LanguageModel model = Architecture.attentiveLstm(8, 2, 5).create(Vocab.of("abcdef"), 3);
        byte[] file = ModelFile.write(model, DType.F64);
        LanguageModel back = ModelFile.readModel(file);
        assertEquals(CellType.ATTENTIVE_LSTM, back.kind());
        assertEquals(5, ((AttentiveLstm) back).attend());
        assertEquals(model.shape(), back.shape());
        assertEquals("5", back.shape().get("attend"));
        for (int i = 0; i < model.parameters().size(); i++) {
            assertEquals(model.parameters().get(i).name, back.parameters().get(i).name);
            assertArrayEquals(model.parameters().get(i).w, back.parameters().get(i).w, 0.0);
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().contains("needs a recurrent network"), e.getMessage());
    }

    /** Writing carries the past one character at a time: the same logits as one window over the whole text. */
    @Test
    void steppingOneSymbolAtATimeGivesTheWindowsLogits() {
        LanguageModel model = Architecture.attentiveLstm(6, 2, 3).create(Vocab.of("abcdef"), 11);
        int[] text = {0, 3, 1, 5, 2, 2, 4, 0, 1};
        LanguageModel.Trace window = model.newTrace(text.length, 1);
        model.forward(new int[][] {text}, model.zeroState(1), window);
        LanguageModel.CarriedState state = model.zeroState(1);
        LanguageModel.Trace scratch = model.newStepTrace();
        for (int t = 0; t < text.length; t++) {
            assertArrayEquals(window.logits(t, 0), model.step(text[t], state, scratch), 1e-12, "step " + t);
        }
    }

    /** With no past, c_0 = 0 and the weights are all 0; with one state behind it, it all goes there. */
    @Test
    void theAttentionLooksOnlyAtStatesThatExist() {
        AttentiveLstm model = (AttentiveLstm) Architecture.attentiveLstm(6, 1, 3).create(Vocab.of("abcdef"), 5);
        AttentiveTrace trace = model.newTrace(4, 1);
        model.forward(new int[][] {{1, 2, 3, 4}}, model.zeroState(1), trace);
        assertArrayEquals(new double[] {0, 0, 0}, trace.attentionWeights(0, 0), 0.0);
        assertArrayEquals(new double[] {1, 0, 0}, trace.attentionWeights(1, 0), 1e-15);
        double[] two = trace.attentionWeights(2, 0);
        assertEquals(1, two[0] + two[1], 1e-15);
        assertEquals(0, two[2], 0.0);
        double[] three = trace.attentionWeights(3, 0);
        assertEquals(1, three[0] + three[1] + three[2], 1e-15);
        assertTrue(three[2] > 0);
        // at t = 0 the decoder reads [h_0; 0]
        for (int i = 0; i < 6; i++) assertEquals(0, trace.decoderInput[6 + i], 0.0);
    }

    @Test
    void theWriterWritesTheSameTextFromTheSameSeed() {
        Trainer trainer = new Trainer(config(30), TEXT, null);
        while (!trainer.isDone()) trainer.step();
        Sampler.Sample a = Sampler.sample(trainer.model(), new SampleConfig("th", 60, 1.0, 0, 5));
        Sampler.Sample b = Sampler.sample(trainer.model(), new SampleConfig("th", 60, 1.0, 0, 5));
        Sampler.Sample c = Sampler.sample(trainer.model(), new SampleConfig("th", 60, 1.0, 0, 6));
        assertEquals(a, b);
        assertNotEquals(a.text(), c.text());
    }

    /** The LSTM part is CharRnn's layers without CharRnn's decoder: the attending model's decoder reads [h; c]. */
    @Test
    void theLstmLayersHaveNoDecoderOfTheirOwn() {
        AttentiveLstm model = (AttentiveLstm) Architecture.attentiveLstm(4, 2, 2).create(Vocab.of("abc"), 1);
        assertEquals(8, model.lstm.parameters().size(), "4 tensors per layer, no decoder.*");
        assertEquals(2 * 4, model.parameter("decoder.weight").cols);
        assertThrows(IllegalStateException.class, () -> model.lstm.forward(new int[][] {{0}}, model.lstm.zeroState(1), model.lstm.newTrace(1, 1)));
        assertThrows(IllegalStateException.class, model.lstm::logitsBeforeAnyInput);
    }

    @Test
    void itsLookBackIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> new AttentiveLstm(Vocab.of("ab"), 4, 1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new AttentiveLstm(Vocab.of("ab"), 4, 1, AttentiveLstm.MAX_ATTEND + 1, true));
        assertEquals(java.util.List.of("attend: must be 1 to 64, got 65"),
                TrainConfig.builder().cell(CellType.ATTENTIVE_LSTM).attend(65).build().validate());
    }
}
