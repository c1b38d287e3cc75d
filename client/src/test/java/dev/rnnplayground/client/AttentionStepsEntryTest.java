package dev.rnnplayground.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rnnplayground.core.gpt.AttentionSteps;
import dev.rnnplayground.core.io.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BrowserEntry.attentionSteps on the JVM: core's AttentionSteps, as JSON; the page's builds are checked in AttentionStepPageTest. */
class AttentionStepsEntryTest {

    @Test
    @SuppressWarnings("unchecked")
    void reportsCoresStagesAsJson() {
        Map<String, Object> whole = (Map<String, Object>) Json.parse(BrowserEntry.attentionSteps("to be", "7", 3, 1));
        AttentionSteps core = AttentionSteps.tinyModel("to be", 7, 3, 1);
        assertEquals(List.of("t", "o", " ", "b", "e"), whole.get("symbols"));
        assertEquals(3L, whole.get("position"));
        assertEquals(1L, whole.get("head"));
        assertEquals(2L, whole.get("heads"));
        assertEquals(4L, whole.get("headSize"));
        assertEquals(16L, whole.get("blockSize"));
        assertEquals(core.model().parameterCount(), ((Number) whole.get("parameterCount")).longValue());
        List<Map<String, Object>> stages = (List<Map<String, Object>>) whole.get("stages");
        assertEquals(core.stages().size(), stages.size());
        for (int s = 0; s < stages.size(); s++) {
            AttentionSteps.Stage expected = core.stages().get(s);
            assertEquals(expected.id(), stages.get(s).get("id"));
            List<Map<String, Object>> tensors = (List<Map<String, Object>>) stages.get(s).get("tensors");
            assertEquals(expected.tensors().size(), tensors.size());
            for (int i = 0; i < tensors.size(); i++) {
                AttentionSteps.Tensor t = expected.tensors().get(i);
                assertEquals(t.name(), tensors.get(i).get("name"));
                assertEquals((long) t.rows(), tensors.get(i).get("rows"));
                List<Object> values = (List<Object>) tensors.get(i).get("values");
                for (int j = 0; j < t.values().length; j++) {
                    if (Double.isInfinite(t.values()[j])) assertNull(values.get(j), t.name() + " " + j);
                    else assertEquals(t.values()[j], ((Number) values.get(j)).doubleValue(), 0, t.name() + " " + j);
                }
            }
        }
        assertNull(((List<Object>) ((Map<String, Object>) ((List<Object>) stages.get(4).get("tensors")).get(0)).get("values")).get(4),
                "the score after the position is masked");

        assertEquals("", BrowserEntry.attentionSteps("abc", "1", 3, 0));
        assertEquals("the position must be 0 to 2, got 3", BrowserEntry.lastError());
        assertEquals("", BrowserEntry.attentionSteps("abc", "x", 0, 0));
        assertEquals("the seed must be a whole number, got \"x\"", BrowserEntry.lastError());
    }
}
