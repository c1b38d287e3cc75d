package dev.rnnplayground.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.rnn.BackwardSteps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BrowserEntry.bpttSteps on the JVM: core's BackwardSteps, as JSON; the page's builds are checked in BpttPageTest. */
class BpttStepsEntryTest {

    @Test
    @SuppressWarnings("unchecked")
    void reportsCoresStepsAsJson() {
        Map<String, Object> whole = (Map<String, Object>) Json.parse(BrowserEntry.bpttSteps("lstm", "to be or", "7", 3));
        BackwardSteps core = BackwardSteps.tinyModel(CellType.LSTM, "to be or", 7);
        assertEquals(7L, whole.get("window"));
        assertEquals(List.of("t", "o", " ", "b", "e", " ", "o"), whole.get("inputs"));
        assertEquals("r", ((List<Object>) whole.get("targets")).get(6));
        assertEquals(core.loss(), ((Number) whole.get("loss")).doubleValue(), 0);
        assertEquals(core.parameterNames(), whole.get("parameters"));
        List<Map<String, Object>> steps = (List<Map<String, Object>>) whole.get("steps");
        assertEquals(3, steps.size());
        BackwardSteps.Step third = null;
        for (int i = 0; i < 3; i++) third = core.stepBack();
        assertEquals(4L, steps.get(2).get("t"));
        assertEquals(third.gateGradients()[13], number(steps.get(2).get("gateGradients"), 13), 0);
        assertEquals(third.cellFromLater()[2], number(steps.get(2).get("cellFromLater"), 2), 0);
        assertEquals(third.accumulated()[1], number(steps.get(2).get("accumulated"), 1), 0);

        Map<String, Object> rnn = (Map<String, Object>) Json.parse(BrowserEntry.bpttSteps("rnn", "abab", "1", 0));
        assertEquals(List.of(), rnn.get("steps"));
        Map<String, Object> gru = (Map<String, Object>) Json.parse(BrowserEntry.bpttSteps("gru", "abab", "1", 3));
        assertNull(((List<Map<String, Object>>) gru.get("steps")).get(2).get("cellFromLater"));

        assertEquals("", BrowserEntry.bpttSteps("rnn", "abab", "1", 4));
        assertEquals("steps must be 0 to 3, got 4", BrowserEntry.lastError());
        assertEquals("", BrowserEntry.bpttSteps("rnn", "a", "1", 0));
        assertTrue(BrowserEntry.lastError().startsWith("the text must have 2 to 17 symbols"), BrowserEntry.lastError());
        assertEquals("", BrowserEntry.bpttSteps("rnn", "abab", "x", 0));
        assertEquals("the seed must be a whole number, got \"x\"", BrowserEntry.lastError());
    }

    @SuppressWarnings("unchecked")
    private static double number(Object list, int i) {
        return ((Number) ((List<Object>) list).get(i)).doubleValue();
    }
}
