package dev.rnnplayground.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.lab.GradientCheck;
import dev.rnnplayground.core.model.CellType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BrowserEntry.gradientCheck on the JVM: core's GradientCheck, as JSON; the page's builds are checked in GradientCheckPageTest. */
class GradientCheckEntryTest {

    @Test
    @SuppressWarnings("unchecked")
    void reportsCoresCheckAsJson() {
        Map<String, Object> whole = (Map<String, Object>) Json.parse(BrowserEntry.gradientCheck("lstm", 2, 0, "42"));
        assertEquals(true, whole.get("passed"));
        List<Map<String, Object>> params = (List<Map<String, Object>>) whole.get("params");
        GradientCheck.Result core = GradientCheck.run(CellType.LSTM, 2, 42, 0);
        assertEquals(core.params().size(), params.size());
        assertEquals(core.params().get(1).name(), params.get(1).get("name"));
        assertEquals(core.params().get(1).maxAbsoluteError(), ((Number) params.get(1).get("maxAbsoluteError")).doubleValue(), 0);

        Map<String, Object> cut = (Map<String, Object>) Json.parse(BrowserEntry.gradientCheck("rnn", 1, 1, "42"));
        assertEquals(false, cut.get("passed"));
        assertEquals(GradientCheck.run(CellType.RNN, 1, 42, 1).worstTensorError(), ((Number) cut.get("tensorError")).doubleValue(), 0);
        assertTrue(((Number) cut.get("tensorError")).doubleValue() > 1e-2);

        assertEquals("", BrowserEntry.gradientCheck("transformer", 1, 0, "1"));
        assertTrue(BrowserEntry.lastError().contains("transformer"), BrowserEntry.lastError());
        assertEquals("", BrowserEntry.gradientCheck("rnn", 1, -1, "1"));
        assertEquals("truncation must be 0 (off) or more steps, got -1", BrowserEntry.lastError());
    }
}
