package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.common.Jackson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;

/**
 * "The network, unrolled": one node group per layer with the model's sizes and PyTorch's parameter
 * names, strips that change while the model writes, and a hovered unit's equation whose numbers are
 * the ones the server's inspect endpoint computes for that step (both are core's cells).
 */
class ArchitecturePageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass();
    static final PageApi api = new PageApi(browser);
    static final Vocab VOCAB = Vocab.of("abcdefghijklmnopqrstuvwxyz ,.\n");
    static final int HIDDEN = 10;

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"RNN", "LSTM", "GRU"})
    void drawsTheModelLiveAndExplainsAUnitWithTheCoresNumbers(CellType cell) throws Exception {
        CharRnn model = new CharRnn(cell, VOCAB, HIDDEN, 2).initialize(13);
        String id = api.importModel("drawn " + cell, ModelFile.write(model, DType.F32));
        browser.open("/#model=" + id + "&prime=the%20net&speed=60&length=40&seed=4");

        // one node group per layer in every drawn step, with the model's sizes and PyTorch's names
        assertEquals("2", browser.attribute("#architecture-svg", "data-layers"));
        assertEquals(4 * 2, browser.driver.findElements(By.cssSelector("#architecture-svg g.layer-node[data-size='10']")).size());
        assertEquals(HIDDEN, browser.driver.findElements(By.cssSelector(
                "#architecture-svg g.step[data-column='3'] g.layer-node[data-layer='1'] .strip.h rect")).size());
        int g = cell.gates() * HIDDEN;
        assertTrue(browser.text("#architecture-parameters").contains("rnn.weight_ih_l0 [" + g + " × 30]"), browser.text("#architecture-parameters"));
        assertTrue(browser.text("#architecture-parameters").contains("rnn.weight_hh_l1 [" + g + " × 10]"));
        assertTrue(browser.text("#architecture-parameters").contains("decoder.weight [30 × 10]"));

        // live: while it writes, the newest step's strips change. The page records them at every
        // repaint, so no poll from here has to catch the 0.7 s of writing
        String top = "#architecture-svg g.step[data-column='3'] g.layer-node[data-layer='1'] .strip.h rect";
        browser.script("window.painted = []; const svg = document.getElementById('architecture-svg');"
                + "new MutationObserver(() => window.painted.push({symbols: Number(svg.dataset.symbols),"
                + " fills: [...document.querySelectorAll(arguments[0])].map(r => r.getAttribute('fill')).join(',')}))"
                + ".observe(svg, {attributes: true, attributeFilter: ['data-symbols']})", top);
        // writes again from the seed, watched from its start: the list is emptied in the same task as
        // the click, so no repaint of the writing the page began on load (still running on a busy
        // machine, near its end) can come first and set a start the new text never passes by 3
        browser.script("document.getElementById('output').dataset.state = 'asked'; window.painted = [];"
                + " document.getElementById('generate-button').click()");
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> painted = (List<Map<String, Object>>) browser.script("return window.painted");
        long first = ((Number) painted.get(0).get("symbols")).longValue();
        Map<String, Object> later = painted.stream().filter(p -> ((Number) p.get("symbols")).longValue() >= first + 3)
                .findFirst().orElseThrow(() -> new AssertionError("repaints seen: " + painted.size()));
        assertNotEquals(painted.get(0).get("fills"), later.get("fills"));

        // hover unit 3 of the top layer two steps before the end: the equation's numbers are the core's
        browser.script("document.querySelector(\"#architecture-svg rect[data-column='2'][data-layer='1'][data-unit='3']\")"
                + ".dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))");
        browser.waitUntil(d -> browser.attribute("#architecture-equation", "data-values") != null);
        JsonNode shown = Jackson.MAPPER.readTree(browser.attribute("#architecture-equation", "data-values"));
        int step = Integer.parseInt(browser.attribute("#architecture-equation", "data-step"));
        String text = browser.text("#output-prime") + browser.text("#output-written");
        assertEquals(text.length() - 2, step, "column 2 of 4 is the symbol before the last");
        JsonNode in = api.post("/api/models/" + id + "/inspect", Map.of("text", text, "gates", true));
        JsonNode gates = in.get("gates").get(1).get(step);
        double h = in.get("hidden").get(1).get(step).get(3).asDouble();
        double hPrev = in.get("hidden").get(1).get(step - 1).get(3).asDouble();
        assertEquals(h, shown.get("h").asDouble(), 1e-9);
        switch (cell) {
            case LSTM -> {
                String[] names = {"i", "f", "g", "o"};
                for (int k = 0; k < 4; k++) assertEquals(gates.get(k * HIDDEN + 3).asDouble(), shown.get(names[k]).asDouble(), 1e-9, names[k]);
                assertEquals(in.get("cellStates").get(1).get(step).get(3).asDouble(), shown.get("c").asDouble(), 1e-9);
                assertEquals(in.get("cellStates").get(1).get(step - 1).get(3).asDouble(), shown.get("cPrev").asDouble(), 1e-9);
            }
            case GRU -> {
                String[] names = {"r", "z", "n"};
                for (int k = 0; k < 3; k++) assertEquals(gates.get(k * HIDDEN + 3).asDouble(), shown.get(names[k]).asDouble(), 1e-9, names[k]);
                assertEquals(hPrev, shown.get("hPrev").asDouble(), 1e-9);
            }
            case RNN -> {
                assertEquals(gates.get(3).asDouble(), shown.get("a").asDouble(), 1e-9);
                assertEquals(Math.tanh(shown.get("a").asDouble()), h, 1e-12, "h is tanh of the pre-activation shown");
            }
        }
        assertTrue(browser.text("#architecture-equation").contains("h_t ="), browser.text("#architecture-equation"));
    }
}
