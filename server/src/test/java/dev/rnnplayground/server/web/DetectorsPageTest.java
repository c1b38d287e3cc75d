package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.Generator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * "Units that mean something": a selected span lists the units whose mean activation inside it most
 * exceeds the mean outside, in each unit's own spread over the text (the numbers are the model's,
 * recomputed here on the JVM), and "Find detectors"
 * names, for a feature of the text, the unit with the largest correlation.
 */
class DetectorsPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass();
    static CharRnn model;
    static final int HIDDEN = 12;
    static final String PRIME = "first line\nsecond (in brackets) line\nthird\n";

    @BeforeAll
    static void start() throws Exception {
        CharRnn made = new CharRnn(CellType.LSTM, Vocab.of("abcdefghijklmnopqrstuvwxyz ,.()\n"), HIDDEN, 2).initialize(17);
        byte[] bytes = ModelFile.write(made, DType.F32);
        model = ModelFile.read(bytes);
        String id = new PageApi(browser).importModel("detected", bytes);
        browser.open("/#model=" + id + "&speed=0&length=60&seed=2&prime=" + java.net.URLEncoder.encode(PRIME, "UTF-8").replace("+", "%20"));
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
    }

    /** [symbol][state h/c][layer * H + unit], read by core's Generator over the page's text. */
    private static double[][][] states(String text) {
        Generator g = new Generator(model, 1, 0, 1);
        int n = text.codePointCount(0, text.length());
        double[][][] out = new double[n][2][2 * HIDDEN];
        for (int i = 0; i < n; i++) {
            g.feed(new String(Character.toChars(text.codePointAt(text.offsetByCodePoints(0, i)))));
            for (int l = 0; l < 2; l++) {
                System.arraycopy(g.hidden(l), 0, out[i][0], l * HIDDEN, HIDDEN);
                System.arraycopy(g.cellState(l), 0, out[i][1], l * HIDDEN, HIDDEN);
            }
        }
        return out;
    }

    private static String pageText() {
        return browser.text("#output-prime") + browser.text("#output-written");
    }

    @Test
    void aSelectedSpanListsUnitsMoreActiveInsideThanOutside() {
        // select "(in brackets)": symbols 18 to 30 of the text
        int from = PRIME.indexOf('('), to = PRIME.indexOf(')');
        browser.script("var t = document.getElementById('detectors-text');"
                + "var a = t.querySelector('[data-i=\"' + arguments[0] + '\"]').firstChild, b = t.querySelector('[data-i=\"' + arguments[1] + '\"]').firstChild;"
                + "window.getSelection().setBaseAndExtent(a, 0, b, 1); t.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));", from, to);
        browser.waitUntil(d -> !browser.driver.findElements(By.cssSelector("#span-result li")).isEmpty());
        assertEquals(String.valueOf(from), browser.attribute("#span-result", "data-from"));
        double[][][] s = states(pageText());
        List<WebElement> units = browser.driver.findElements(By.cssSelector("#span-result li"));
        assertEquals(6, units.size());
        // every unit's score on the JVM: (mean inside - mean outside) / its standard deviation over the text
        double[][] scores = new double[2][2 * HIDDEN];
        for (int state = 0; state < 2; state++) {
            for (int k = 0; k < 2 * HIDDEN; k++) scores[state][k] = spanScore(s, state, k, from, to)[2];
        }
        double[] ranked = java.util.Arrays.stream(scores).flatMapToDouble(java.util.Arrays::stream).sorted().toArray();
        for (int rank = 0; rank < units.size(); rank++) {
            WebElement li = units.get(rank);
            int k = Integer.parseInt(li.getDomAttribute("data-layer")) * HIDDEN + Integer.parseInt(li.getDomAttribute("data-unit"));
            int state = li.getDomAttribute("data-state").equals("c") ? 1 : 0;
            double[] expected = spanScore(s, state, k, from, to);
            assertEquals(expected[0], Double.parseDouble(li.getDomAttribute("data-inside")), 1e-6);
            assertEquals(expected[1], Double.parseDouble(li.getDomAttribute("data-outside")), 1e-6);
            assertEquals(expected[2], Double.parseDouble(li.getDomAttribute("data-score")), 1e-6);
            // the list is the six best scores of all 48 units (h and c, both layers), best first: the
            // scale of each unit is divided out, so an unbounded c cannot win by its size
            assertEquals(ranked[ranked.length - 1 - rank], expected[2], 1e-6, "rank " + rank);
            assertTrue(expected[0] > expected[1], "unit " + k + ": inside " + expected[0] + ", outside " + expected[1]);
        }
        // a click colours the text by that unit
        units.get(0).findElement(By.tagName("button")).click();
        assertTrue(browser.attribute("#detectors-text", "data-colored-by") != null);
    }

    @Test
    void findDetectorsNamesTheUnitThatFollowsAFeatureBest() {
        browser.find("#find-detectors").click();
        WebElement newline = browser.waitUntil(d -> d.findElements(By.cssSelector("#detectors-list li[data-feature='after a newline']"))
                .stream().findFirst().orElse(null));
        String text = pageText();
        double[][][] s = states(text);
        double[] feature = text.codePoints().mapToDouble(c -> c == '\n' ? 1 : 0).toArray();
        double best = 0;
        for (int state = 0; state < 2; state++) {
            for (int k = 0; k < 2 * HIDDEN; k++) {
                double[] unit = new double[s.length];
                for (int i = 0; i < s.length; i++) unit[i] = s[i][state][k];
                double r = correlation(feature, unit);
                if (Math.abs(r) > Math.abs(best)) best = r;
            }
        }
        assertEquals(best, Double.parseDouble(newline.getDomAttribute("data-r")), 1e-6);
        // quotes are not in this text, so no quote detector is claimed
        assertTrue(browser.driver.findElements(By.cssSelector("#detectors-list li[data-feature='inside quotes']")).isEmpty());
        assertTrue(browser.text("#detectors-list").contains("Not in this text, so not looked for: inside quotes"));
    }

    @Test
    void theHeatmapNamesTheHoveredUnitItsLayerAndCharacterAndOutlinesIt() {
        new Select(browser.find("#layer-select")).selectByValue("-2");
        WebElement heatmap = browser.find("#heatmap");
        browser.script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].closest('.heatmap-wrap').scrollLeft = 0", heatmap);
        // all layers: 24 rows of 6 px; row 14 is unit 2 of layer 2; column 3 is the fourth symbol
        new Actions(browser.driver).moveToElement(heatmap, -heatmap.getSize().width / 2 + 3 * 7 + 3,
                -heatmap.getSize().height / 2 + 14 * 6 + 3).perform();
        browser.waitUntil(d -> "1".equals(browser.attribute("#hover-stats", "data-layer")));
        assertEquals("2", browser.attribute("#hover-stats", "data-unit"));
        assertTrue(browser.text("#hover-stats").startsWith("symbol 4 \u201cs\u201d \u00b7 layer 2, unit 2 \u00b7 h = "),
                browser.text("#hover-stats"));
        assertTrue(browser.find(".heatmap-marker").isDisplayed());
    }

    /** {mean inside [from, to], mean outside, their difference over the unit's standard deviation over the whole text}. */
    private static double[] spanScore(double[][][] s, int state, int k, int from, int to) {
        double inside = 0, outside = 0, mean = 0;
        for (int i = 0; i < s.length; i++) {
            if (i >= from && i <= to) inside += s[i][state][k];
            else outside += s[i][state][k];
            mean += s[i][state][k] / s.length;
        }
        inside /= to - from + 1;
        outside /= s.length - (to - from + 1);
        double variance = 0;
        for (double[][] step : s) variance += (step[state][k] - mean) * (step[state][k] - mean) / s.length;
        return new double[] {inside, outside, (inside - outside) / Math.sqrt(variance)};
    }

    private static double correlation(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
