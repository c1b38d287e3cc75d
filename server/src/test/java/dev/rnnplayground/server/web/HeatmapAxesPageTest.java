package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The hidden-state heatmap's axes: the characters read along the top, one label per 7-px column
 * and aligned with it even when the heatmap is scrolled sideways; unit numbers along the left,
 * aligned with their rows and still in view when scrolled; and with "all layers" on a 2-layer
 * model, a band naming each layer and a hover line naming the layer of the unit under the pointer.
 */
class HeatmapAxesPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass();
    static final int HIDDEN = 12;
    static final int COLUMN = 7;       // heatmap.js: px per symbol
    static final int ROW = 6;          // heatmap.js: px per unit when there are few units
    static final String PRIME = "to be\nor not to be, ";

    @BeforeAll
    static void start() throws Exception {
        CharRnn model = new CharRnn(CellType.LSTM, Vocab.of("abcdefghijklmnopqrstuvwxyz ,.\n"), HIDDEN, 2).initialize(11);
        String id = new PageApi(browser).importModel("axes", ModelFile.write(model, DType.F32));
        // long enough to scroll sideways: 20 + 240 columns of 7 px in a page 1400 px wide
        browser.open("/#model=" + id + "&speed=0&length=240&seed=4&layer=-2&prime="
                + URLEncoder.encode(PRIME, StandardCharsets.UTF_8).replace("+", "%20"));
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        browser.script("arguments[0].scrollIntoView({block: 'center'})", browser.find("#heatmap"));
    }

    /** What the character axis shows for a text: newline and space made visible as the page does. */
    private static String visible(String text) {
        return text.replace(" ", "\u2423").replace("\n", "\u21b5");
    }

    /** The largest distance, in columns, between a character label's centre and its column's centre. */
    private static double characterMisalignment() {
        return ((Number) browser.script("""
                const canvas = document.getElementById('heatmap'), box = canvas.getBoundingClientRect();
                const scale = box.width / canvas.width;
                let worst = 0;
                for (const label of canvas.parentElement.querySelectorAll('.heatmap-characters span')) {
                  const r = label.getBoundingClientRect(), i = Number(label.dataset.i);
                  const expected = box.left + (i + 0.5) * 7 * scale;
                  worst = Math.max(worst, Math.abs((r.left + r.right) / 2 - expected) / (7 * scale));
                }
                return worst;""")).doubleValue();
    }

    @Test
    void theCharacterAxisLabelsEveryColumnInOrderAndStaysAlignedWhenScrolled() {
        String text = browser.text("#output-prime") + browser.text("#output-written");
        assertEquals(PRIME.length() + 240, text.codePointCount(0, text.length()));
        assertEquals(visible(text), browser.text("#heatmap-wrap .heatmap-characters"), "one label per column, in order");
        assertTrue(characterMisalignment() < 1, "labels over their columns: " + characterMisalignment());

        browser.script("const s = document.getElementById('heatmap-wrap'); s.scrollLeft = s.scrollWidth;");
        browser.waitUntil(d -> ((Number) browser.script("return document.getElementById('heatmap-wrap').scrollLeft")).intValue() > 0);
        assertTrue(characterMisalignment() < 1, "still over their columns when scrolled: " + characterMisalignment());
        // the unit axis sits beside the scroller, so it stays in view
        assertTrue((Boolean) browser.script("""
                const axis = document.querySelector('#heatmap-wrap').previousElementSibling.getBoundingClientRect();
                const wrap = document.getElementById('heatmap-wrap').getBoundingClientRect();
                return axis.width > 0 && axis.right <= wrap.left + 1;"""));
        browser.script("document.getElementById('heatmap-wrap').scrollLeft = 0");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theUnitAxisNumbersTheRowsAndNamesEachLayer() {
        List<Map<String, Object>> ticks = (List<Map<String, Object>>) browser.script("""
                const top = document.getElementById('heatmap').getBoundingClientRect().top;
                return [...document.getElementById('heatmap').closest('.heatmap-frame').querySelectorAll('.heatmap-unit')]
                  .map((t) => ({ text: t.textContent, row: Number(t.dataset.row), y: t.getBoundingClientRect().top - top }));""");
        assertTrue(ticks.size() >= 4, "a few ticks per layer: " + ticks);
        for (Map<String, Object> tick : ticks) {
            int row = ((Number) tick.get("row")).intValue();
            assertEquals(String.valueOf(row % HIDDEN), tick.get("text"), "a unit number within its layer: " + tick);
            double y = ((Number) tick.get("y")).doubleValue();
            assertTrue(Math.abs(y - row * ROW) <= ROW, "the label beside its row: " + tick);
        }

        WebElement layer2 = browser.find("#heatmap").findElement(org.openqa.selenium.By.xpath(
                "ancestor::div[contains(@class,'heatmap-frame')]//span[contains(@class,'heatmap-layer') and text()='layer 2']"));
        double layer2Top = ((Number) browser.script("return arguments[0].getBoundingClientRect().top"
                + " - document.getElementById('heatmap').getBoundingClientRect().top", layer2)).doubleValue();
        assertTrue(Math.abs(layer2Top - HIDDEN * ROW) <= 1, "layer 2's band starts at its first row: " + layer2Top);

        // the pointer on row 12 + 5 (unit 5 of layer 2), column 2; the canvas is wider than the window,
        // so the point is given in the window's coordinates
        List<Number> point = (List<Number>) browser.script("""
                const canvas = document.getElementById('heatmap');
                canvas.closest('.heatmap-wrap').scrollLeft = 0;
                canvas.scrollIntoView({block: 'center', inline: 'nearest'});
                const box = canvas.getBoundingClientRect();
                return [Math.round(box.left + arguments[0]), Math.round(box.top + arguments[1])];""",
                2 * COLUMN + 3, (HIDDEN + 5) * ROW + 3);
        new Actions(browser.driver).moveToLocation(point.get(0).intValue(), point.get(1).intValue()).perform();
        browser.waitUntil(d -> browser.text("#hover-stats").contains("layer 2, unit 5"));
    }
}
