package dev.rnnplayground.core.train;

import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.model.CellType;

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
            "learningRate, 0, lr", "learningRate, -0.1, lr", "learningRate, 10.5, lr", "learningRate, NaN, lr",
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
        TrainConfig bad = new TrainConfig(null, 0, 0, 0, 0, null, 0, -1, null, -1, -1, 1, 0, -1, -1, -1, 1);
        List<String> fields = bad.validate().stream().map(m -> m.substring(0, m.indexOf(':'))).toList();
        assertEquals(List.of("cell", "hidden", "layers", "seqLength", "batchSize", "optimizer", "lr", "clip", "clipMode",
                "steps", "epochs", "valFraction", "evalEvery", "checkpointEvery", "sampleEvery", "dropout"), fields);
    }

    @Test
    void dropoutIsRefusedInTheIssuesWords() {
        assertEquals(List.of("dropout: must be 0 to 0.9, got 0.95"), with("dropout", "0.95").validate());
        assertEquals(0.0, new TrainConfig(CellType.GRU, 8, 2, 10, 1, OptimizerType.SGD, 0.1, 0,
                GradientClipping.Mode.NORM, 5, 0, 0, 1, 0, 0, 0).dropout(), 0.0, "a config made without dropout has none");
    }

    @Test
    void theServersLimitsAreTheCommandLinesOrTighter() {
        TrainLimits cli = TrainLimits.COMMAND_LINE, server = TrainLimits.SERVER;
        RecordComponent[] components = TrainLimits.class.getRecordComponents();
        for (RecordComponent c : components) {
            if (c.getType() != TrainLimits.Range.class) continue;
            try {
                TrainLimits.Range wide = (TrainLimits.Range) c.getAccessor().invoke(cli);
                TrainLimits.Range narrow = (TrainLimits.Range) c.getAccessor().invoke(server);
                assertTrue(narrow.min() >= wide.min() && narrow.max() <= wide.max() && narrow.max() >= narrow.min(),
                        c.getName() + ": server " + narrow + " within command line " + wide);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        assertTrue(server.maxParameters() <= cli.maxParameters());
        assertTrue(server.hidden().max() < cli.hidden().max(), "a shared server trains smaller networks");
    }

    @Test
    void aConfigValidOnTheCommandLineMayBeTooBigForTheServer() {
        TrainConfig big = with("hidden", "2048");
        assertEquals(List.of(), big.validate());
        assertEquals(List.of("hidden: must be 1 to 1024, got 2048"), big.validate(TrainLimits.SERVER));
        assertEquals(List.of(), TrainConfig.defaults().validate(TrainLimits.SERVER), "the defaults fit everywhere");
    }

    @Test
    void cellAndOptimizerNamesParseInAnyCaseAndListTheChoices() {
        assertEquals(CellType.GRU, CellType.parse("GRU"));
        assertEquals(OptimizerType.RMSPROP, OptimizerType.parse("RMSprop"));
        IllegalArgumentException cell = assertThrows(IllegalArgumentException.class, () -> CellType.parse("transformer"));
        assertTrue(cell.getMessage().contains("rnn, lstm, gru or bigram"), cell.getMessage());
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
