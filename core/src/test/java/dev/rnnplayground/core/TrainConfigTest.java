package dev.rnnplayground.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.List;
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
            "learningRate, 10", "learningRate, 1e-9", "clip, 0", "clip, 1e6", "steps, 100000000",
            "epochs, 10000", "valFraction, 0", "valFraction, 0.5", "evalEvery, 0",
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
            "learningRate, 0, lr", "learningRate, -0.1, lr", "learningRate, 10.5, lr", "learningRate, NaN, lr",
            "clip, -1, clip", "clip, NaN, clip", "clip, 2e6, clip",
            "clipMode, null, clipMode",
            "steps, -1, steps", "steps, 100000001, steps",
            "epochs, -1, epochs", "epochs, NaN, epochs", "epochs, 10001, epochs",
            "valFraction, -0.1, valFraction", "valFraction, 0.6, valFraction", "valFraction, NaN, valFraction",
            "evalEvery, -1, evalEvery", "checkpointEvery, -1, checkpointEvery", "sampleEvery, -1, sampleEvery",
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
        TrainConfig bad = new TrainConfig(null, 0, 0, 0, 0, null, 0, -1, null, -1, -1, 1, 0, -1, -1, -1, 0);
        List<String> fields = bad.validate().stream().map(m -> m.substring(0, m.indexOf(':'))).toList();
        assertEquals(List.of("cell", "hidden", "layers", "seqLength", "batchSize", "optimizer", "lr", "clip", "clipMode",
                "steps", "epochs", "valFraction", "evalEvery", "checkpointEvery", "sampleEvery"), fields);
    }

    @Test
    void cellAndOptimizerNamesParseInAnyCaseAndListTheChoices() {
        assertEquals(CellType.GRU, CellType.parse("GRU"));
        assertEquals(OptimizerType.RMSPROP, OptimizerType.parse("RMSprop"));
        IllegalArgumentException cell = assertThrows(IllegalArgumentException.class, () -> CellType.parse("transformer"));
        assertTrue(cell.getMessage().contains("rnn, lstm or gru"), cell.getMessage());
        IllegalArgumentException optimizer = assertThrows(IllegalArgumentException.class, () -> OptimizerType.parse("lbfgs"));
        assertTrue(optimizer.getMessage().contains("sgd, adagrad, rmsprop or adam"), optimizer.getMessage());
    }

    /** The defaults with one field replaced, the value parsed from text ("null" for none). */
    private static TrainConfig with(String field, String value) {
        try {
            RecordComponent[] components = TrainConfig.class.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            TrainConfig defaults = TrainConfig.defaults();
            boolean found = false;
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getAccessor().invoke(defaults);
                if (components[i].getName().equals(field)) {
                    values[i] = parse(types[i], value.trim());
                    found = true;
                }
            }
            assertTrue(found, "TrainConfig has no field " + field);
            return TrainConfig.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object parse(Class<?> type, String value) {
        if (value.equals("null")) return null;
        if (type == int.class) return Integer.parseInt(value);
        if (type == long.class) return Long.parseLong(value);
        if (type == double.class) return Double.parseDouble(value);
        throw new IllegalArgumentException("cannot parse a " + type);
    }
}
