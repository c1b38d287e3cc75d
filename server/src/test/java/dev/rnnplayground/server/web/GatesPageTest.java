package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/**
 * "Gates over the text": the gate heatmaps of an LSTM and a GRU hold exactly the gate values the
 * server's inspect endpoint computes over the same text (both are core's cells); the saturation
 * summary lists the sigmoid gates; a vanilla RNN is told it has none.
 */
class GatesPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass();
    static final PageApi api = new PageApi(browser);
    static final Vocab VOCAB = Vocab.of("abcdefghijklmnopqrstuvwxyz ,.\n");
    static final int HIDDEN = 12;

    private static String write(CellType cell) {
        CharRnn model = new CharRnn(cell, VOCAB, HIDDEN, 2).initialize(21);
        String id = api.importModel("gates " + cell, ModelFile.write(model, DType.F32));
        browser.open("/#model=" + id + "&prime=the%20gate&speed=0&length=50&seed=5");
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        return id;
    }

    @SuppressWarnings("unchecked")
    private static List<Number> drawn(int column) {
        return (List<Number>) browser.script("return document.getElementById('gates-heatmap').valuesAt(arguments[0])", column);
    }

    private static void assertHeatmapsEqualInspect(CellType cell, String id) {
        String text = browser.text("#output-prime") + browser.text("#output-written");
        JsonNode gates = api.post("/api/models/" + id + "/inspect", Map.of("text", text, "gates", true)).get("gates");
        int steps = gates.get(0).size();
        assertEquals(text.length() - 1, steps);
        for (int layer = 0; layer < 2; layer++) {
            new Select(browser.find("#gates-layer")).selectByValue(String.valueOf(layer));
            for (int g = 0; g < cell.gates(); g++) {
                new Select(browser.find("#gates-gate")).selectByValue(String.valueOf(g));
                for (int t : new int[] {0, 7, steps / 2, steps - 1}) {
                    List<Number> shown = drawn(t);
                    assertEquals(HIDDEN, shown.size());
                    for (int u = 0; u < HIDDEN; u++) {
                        assertEquals(gates.get(layer).get(t).get(g * HIDDEN + u).asDouble(), shown.get(u).doubleValue(), 1e-9,
                                cell + " layer " + layer + " gate " + g + " step " + t + " unit " + u);
                    }
                }
            }
        }
    }

    @Test
    void lstmGatesAreTheInspectEndpointsGates() {
        String id = write(CellType.LSTM);
        assertHeatmapsEqualInspect(CellType.LSTM, id);
        // read in one script: the summary is redrawn by a timer, which would leave elements found earlier stale
        @SuppressWarnings("unchecked")
        List<List<String>> rows = browser.waitUntil(d -> {
            var found = (List<List<String>>) browser.script("return [...document.querySelectorAll('.saturation-row')]"
                    + ".map((r) => [r.dataset.left, r.dataset.right])");
            return found.size() == 3 ? found : null;
        });
        for (List<String> row : rows) {
            double left = Double.parseDouble(row.get(0)), right = Double.parseDouble(row.get(1));
            assertTrue(left >= 0 && right >= 0 && left + right <= 1, left + " " + right);
        }
        // the caption gives each gate one role: an audit found "what to write" said of both i and g
        String caption = browser.text("#gates-caption").replaceAll("\\s+", " ");
        for (String gate : new String[] {"(i)", "(f)", "(g)", "(o)", "(r)", "(z)"}) {
            assertEquals(1, caption.split(java.util.regex.Pattern.quote(gate), -1).length - 1, gate + " once in: " + caption);
        }
        assertTrue(caption.contains("a candidate (g)") && !caption.contains("what to write"), caption);
    }

    @Test
    void gruGatesAreTheInspectEndpointsGates() {
        String id = write(CellType.GRU);
        assertHeatmapsEqualInspect(CellType.GRU, id);
        browser.waitUntil(d -> browser.driver.findElements(org.openqa.selenium.By.cssSelector(".saturation-row")).size() == 2);
    }

    @Test
    void aVanillaRnnIsToldItHasNoGates() {
        write(CellType.RNN);
        assertTrue(browser.find("#gates-note").isDisplayed());
        assertTrue(!browser.find("#gates-body").isDisplayed());
    }
}
