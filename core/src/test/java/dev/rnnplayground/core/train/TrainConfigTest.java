package dev.rnnplayground.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.OptimizerType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every out-of-range setting is reported on its own, naming the setting, so a user knows what to fix. */
class TrainConfigTest {

    @Test
    void defaultsAreValid() {
        assertEquals(List.of(), TrainConfig.defaults().validate());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "hidden, 1", "hidden, 2048", "layers, 4", "seqLength, 1000", "batchSize, 1024",
            "lr, 10", "lr, 1e-9", "clip, 0", "clip, 1e6", "steps, 100000000",
            "epochs, 10000", "valFraction, 0", "valFraction, 0.5", "evalEvery, 0", "dropout, 0", "dropout, 0.9",
    })
    void limitsThemselvesAreAccepted(String field, String value) {
        assertEquals(List.of(), with(field, value).validate());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "cell, null, cell",
            "hidden, 0, hidden", "hidden, 2049, hidden",
            "layers, 0, layers", "layers, 5, layers",
            "seqLength, 0, seqLength", "seqLength, 1001, seqLength",
            "batchSize, 0, batchSize", "batchSize, 1025, batchSize",
            "optimizer, null, optimizer",
            "lr, 0, lr", "lr, -0.1, lr", "lr, 10.5, lr", "lr, NaN, lr",
            "clip, -1, clip", "clip, NaN, clip", "clip, 2e6, clip",
            "clipMode, null, clipMode",
            "steps, -1, steps", "steps, 100000001, steps",
            "epochs, -1, epochs", "epochs, NaN, epochs", "epochs, 10001, epochs",
            "valFraction, -0.1, valFraction", "valFraction, 0.6, valFraction", "valFraction, NaN, valFraction",
            "evalEvery, -1, evalEvery", "checkpointEvery, -1, checkpointEvery", "sampleEvery, -1, sampleEvery",
            "dropout, -0.1, dropout", "dropout, 0.95, dropout", "dropout, NaN, dropout",
    })
    void eachBadFieldGivesOneMessageNamingIt(String field, String value, String shownAs) {
        List<String> errors = with(field, value).validate();
        assertEquals(1, errors.size(), () -> "exactly one problem expected, got " + errors);
        assertTrue(errors.get(0).startsWith(shownAs + ": "), errors.get(0));
        if (!value.equals("null")) {
            String shown = errors.get(0).substring(errors.get(0).lastIndexOf(' ') + 1);
            assertEquals(Double.parseDouble(value), Double.parseDouble(shown), 0.0, "the message shows the bad value: " + errors.get(0));
        }
    }

    @Test
    void aRunNeedsStepsOrEpochs() {
        // the defaults give 1000 steps and 0 epochs: zero steps leaves nothing to run
        assertEquals(List.of("steps: give a number of steps or of epochs"), with("steps", "0").validate());
        assertEquals(List.of(), with("epochs", "2.5").withSteps(0).validate(), "epochs alone is enough");
    }

    @Test
    void allProblemsAreListedAtOnce() {
        TrainConfig bad = TrainConfig.builder().cell(null).hidden(0).layers(0).seqLength(0).batchSize(0)
                .optimizer(null).learningRate(0).clip(-1).clipMode(null).steps(-1).epochs(-1).valFraction(1).seed(0)
                .evalEvery(-1).checkpointEvery(-1).sampleEvery(-1).dropout(1).build();
        List<String> fields = bad.validate().stream().map(m -> m.substring(0, m.indexOf(':'))).toList();
        assertEquals(List.of("cell", "hidden", "layers", "seqLength", "batchSize", "optimizer", "lr", "clip", "clipMode",
                "steps", "epochs", "valFraction", "evalEvery", "checkpointEvery", "sampleEvery", "dropout"), fields);
    }

    @Test
    void dropoutIsRefusedInTheIssuesWords() {
        assertEquals(List.of("dropout: must be 0 to 0.9, got 0.95"), with("dropout", "0.95").validate());
        assertEquals(0.0, TrainConfig.builder().cell(CellType.GRU).hidden(8).layers(2).seqLength(10)
                .optimizer(OptimizerType.SGD).learningRate(0.1).clip(0).steps(5).build().dropout(), 0.0, "a config made without dropout has none");
    }

    @Test
    void aNamedCopyChangesOnlyWhatItNames() {
        TrainConfig d = TrainConfig.defaults();
        TrainConfig changed = d.toBuilder().hidden(64).build();
        assertEquals(64, changed.hidden());
        for (Hyperparameter h : Hyperparameter.values()) {
            if (h != Hyperparameter.HIDDEN) assertEquals(d.get(h), changed.get(h), h.key);
        }
        assertEquals(OptimizerType.SGD.defaultLearningRate(),
                TrainConfig.builder().optimizer(OptimizerType.SGD).build().learningRate(), 0.0, "lr follows the optimizer");
        TrainConfig byEpochs = TrainConfig.builder().epochs(2).build();
        assertEquals(0, byEpochs.steps(), "epochs given: steps 0, so epochs decides");
    }

    /**
     * Checkpoints written by earlier versions hold exactly this (without heads and bias before the
     * gpt, nor attend before lstm-attention, which then take their defaults); the names and the form may not change.
     */
    @Test
    void aCheckpointsConfigKeepsItsNamesAndForm() {
        String earlier = "{\"cell\":\"lstm\",\"hidden\":128,\"layers\":1,\"seqLength\":50,\"batchSize\":1,"
                + "\"optimizer\":\"adam\",\"lr\":\"0.002\",\"clip\":\"5.0\",\"clipMode\":\"norm\",\"steps\":1000,"
                + "\"epochs\":\"0.0\",\"valFraction\":\"0.05\",\"seed\":\"1\",\"evalEvery\":200,\"checkpointEvery\":1000,"
                + "\"sampleEvery\":500,\"dropout\":\"0.0\"}";
        Map<?, ?> old = (Map<?, ?>) dev.rnnplayground.core.io.Json.parse(earlier);
        Map<String, Object> written = Checkpoint.configToMap(TrainConfig.defaults());
        for (Map.Entry<?, ?> e : old.entrySet()) assertEquals(e.getValue(), written.get(e.getKey()), "config key " + e.getKey());
        Map<String, Object> added = new java.util.LinkedHashMap<>(written);
        added.keySet().removeAll(old.keySet());
        assertEquals(dev.rnnplayground.core.io.Json.parse("{\"heads\":4,\"bias\":false,\"attend\":8,\"beta2\":\"0.999\","
                + "\"weightDecay\":\"0.0\",\"warmup\":0,\"lrSchedule\":\"constant\"}"),
                added, "settings added since, each of which an older file lacks (Hyperparameter.ADDED_LATER)");
        assertEquals(TrainConfig.defaults(), Checkpoint.configFromMap(dev.rnnplayground.core.io.Json.parse(earlier)));
        TrainConfig odd = TrainConfig.builder().cell(CellType.GPT).heads(8).bias(true).optimizer(OptimizerType.SGD).learningRate(0.1 + 1e-17)
                .clipMode(dev.rnnplayground.core.optim.GradientClipping.Mode.VALUE).seed(Long.MIN_VALUE).dropout(0.3)
                .beta2(0.95).warmup(7).attend(3).lrSchedule(dev.rnnplayground.core.optim.LearningRateSchedule.Shape.COSINE).build();
        assertEquals(odd, Checkpoint.configFromMap(Checkpoint.configToMap(odd)), "every setting survives, bit for bit");
    }

    @Test
    void cellAndOptimizerNamesParseInAnyCaseAndListTheChoices() {
        assertEquals(CellType.GRU, CellType.parse("GRU"));
        assertEquals(OptimizerType.RMSPROP, OptimizerType.parse("RMSprop"));
        IllegalArgumentException cell = assertThrows(IllegalArgumentException.class, () -> CellType.parse("transformer"));
        assertTrue(cell.getMessage().contains("rnn, lstm, gru, bigram, gpt or lstm-attention"), cell.getMessage());
        IllegalArgumentException optimizer = assertThrows(IllegalArgumentException.class, () -> OptimizerType.parse("lbfgs"));
        assertTrue(optimizer.getMessage().contains("sgd, adagrad, rmsprop, adam or adamw"), optimizer.getMessage());
    }

    @Test
    void aGptsHeadsMustDivideHiddenAndAnRnnStacksAtMostFourLayers() {
        assertEquals(List.of("heads: must divide hidden (each head reads hidden/heads channels), got 3 heads for hidden 128"),
                TrainConfig.builder().cell(CellType.GPT).heads(3).build().validate());
        assertEquals(List.of(), TrainConfig.builder().cell(CellType.GPT).layers(6).heads(8).build().validate());
        assertEquals(List.of("layers: a recurrent network stacks at most 4 layers, got 6"),
                TrainConfig.builder().cell(CellType.LSTM).layers(6).build().validate());
        assertEquals(List.of(), TrainConfig.builder().cell(CellType.LSTM).heads(3).build().validate(), "an lstm ignores heads");
    }

    /** The defaults with one field replaced, the value parsed from text ("null" for none). */
    private static TrainConfig with(String field, String value) {
        Hyperparameter h = Hyperparameter.byKey(field);
        assertTrue(h != null, "no hyperparameter " + field);
        Object parsed = value.equals("null") ? null : h.fromWire(h.kind == Hyperparameter.Kind.CHOICE ? value : Double.parseDouble(value));
        return TrainConfig.defaults().toBuilder().set(h, parsed).build();
    }
}
