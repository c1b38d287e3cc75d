package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.Attending;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.sample.Generator;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * "Attention while writing": for a tiny gpt (2 layers × 2 heads, a block of 16, so the key/value
 * cache refills on the way) and a tiny attending LSTM (K = 4), the weights the page shows after
 * writing (every head's, and the chosen head's shading) and the matrix are what core computes on
 * the JVM from the same model file, prime, settings and seed, in both builds. The pickers work by
 * keyboard and the hash restores them; the view fits a phone. One page boot per build: the page
 * opens with the LSTM and switches to the gpt.
 */
class AttentionPageTest {

    private static final double TOLERANCE = 1e-9;   // the browser's Math.exp may differ in the last bits
    private static final String PRIME = "the cat";
    private static final int LENGTH = 40;
    private static final double TEMPERATURE = 0.8;
    private static final long SEED = 3;

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();

    /** What core's writer did on the JVM: the text and where its last character looked. */
    private record Written(String text, int[] ids, AttentionWeights attention) {
    }

    @Test
    void theWeightsAndTheMatrixAreCoresInBothBuilds() throws Exception {
        Gpt made = new Gpt(PageModels.VOCAB, Architecture.gpt(16, 2, 2, 16, true), false);
        SplitMix64 rng = new SplitMix64(5);
        for (Param p : made.parameters()) p.uniform(rng, 0.5);   // far from nanoGPT's start, so no head looks evenly
        byte[] gptFile = ModelFile.write(made, DType.F32);
        byte[] lstmFile = ModelFile.write(Architecture.attentiveLstm(8, 1, 4).create(PageModels.VOCAB, 5), DType.F32);
        PageApi api = new PageApi(browser);
        String gptId = api.importModel("tiny gpt", gptFile);
        String lstmId = api.importModel("tiny attending lstm", lstmFile);
        LanguageModel gpt = ModelFile.readModel(gptFile);     // float32, as the page reads it
        LanguageModel lstm = ModelFile.readModel(lstmFile);

        for (String engine : List.of("/", "/?engine=js")) {
            browser.open(engine + "#model=" + lstmId + "&prime=the%20cat&speed=0&length=" + LENGTH + "&temperature=0.8&topK=0&seed=3"
                    + "&attLayer=1&attHead=1&attWindow=16");
            browser.script("window.pageErrors = [];"
                    + "addEventListener('error', (e) => pageErrors.push(String(e.message)));"
                    + "addEventListener('unhandledrejection', (e) => pageErrors.push(String(e.reason)));");
            assertEquals("true", browser.attribute("body", "data-attends"));
            writeAndCompare(lstm, 0, 0);
            assertFalse(browser.find("#attention-pickers").isDisplayed(), "one head: nothing to pick");
            assertFalse(browser.find("#attention-grid-box").isDisplayed());

            new Select(browser.find("#model-select")).selectByValue(gptId);
            browser.waitUntil(d -> gptId.equals(browser.attribute("body", "data-model")));
            // the link's layer and head (from 0) are the pickers' choice
            assertEquals("1", new Select(browser.find("#attention-layer")).getFirstSelectedOption().getDomAttribute("value"));
            assertEquals("1", new Select(browser.find("#attention-head")).getFirstSelectedOption().getDomAttribute("value"));
            browser.find("#generate-button").click();
            writeAndCompare(gpt, 1, 1);
            assertEquals(4, browser.driver.findElements(By.cssSelector("#attention-grid .attention-cell")).size());
            assertEquals("true", browser.attribute("#attention-grid [data-layer='1'][data-head='1']", "aria-pressed"));

            // by keyboard: a grid cell pressed with Enter, then the head picker moved with an arrow key
            WebElement cell = browser.find("#attention-grid [data-layer='0'][data-head='1']");
            cell.sendKeys(Keys.ENTER);
            assertMatrixIs(gpt, 0, 1);
            String hash = (String) browser.script("return location.hash");
            assertTrue(hash.contains("attHead=1") && !hash.contains("attLayer"), hash);
            browser.find("#attention-head").sendKeys(Keys.ARROW_UP);
            assertMatrixIs(gpt, 0, 0);
            hash = (String) browser.script("return location.hash");
            assertFalse(hash.contains("attLayer") || hash.contains("attHead"), "layer 0, head 0 are the defaults: " + hash);
            matrixByKeyboard();
            assertEquals(List.of(), browser.script("return window.pageErrors"));
            if (engine.contains("js")) fitsAPhone();
        }
    }

    /**
     * Waits for the writing to end and the matrix to catch up, then compares the text, every head's
     * weights, the chosen head's shading and the matrix with core's.
     */
    private static void writeAndCompare(LanguageModel model, int layer, int head) {
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        Written jvm = write(model);
        assertEquals(jvm.text(), browser.text("#output-written"), "the page writes core's text");
        int total = jvm.ids().length;
        browser.waitUntil(d -> String.valueOf(total).equals(browser.attribute("#attention", "data-matrix-symbols")));
        Map<String, Object> shown = shown();
        AttentionWeights a = jvm.attention();
        assertEquals(a.positions(), number(shown.get("positions")).intValue(), "positions looked at");
        assertEquals(a.newestBack(), number(shown.get("newestBack")).intValue());
        assertClose(a.weights(), numbers(shown.get("weights")), "every head's weights");
        if (model instanceof Gpt) assertTrue(a.positions() < total, "the cache refilled: " + a.positions() + " of " + total);

        // the shading: the chosen head's weights over the last (at most 16) positions, oldest first
        double[] headWeights = a.head(layer, head);
        int shownPositions = Math.min(16, a.positions());
        List<WebElement> spans = browser.driver.findElements(By.cssSelector("#attention-text span[data-weight]"));
        assertEquals(shownPositions, spans.size());
        double[] shaded = spans.stream().mapToDouble(s -> Double.parseDouble(s.getDomAttribute("data-weight"))).toArray();
        assertClose(Arrays.copyOfRange(headWeights, a.positions() - shownPositions, a.positions()), shaded, "the shaded characters");
        assertEquals(String.valueOf(a.newestBack()), spans.get(spans.size() - 1).getDomAttribute("data-back"));
        assertEquals(1, browser.driver.findElements(By.cssSelector("#attention-text .reading")).size());

        double[] matrix = assertMatrixIs(model, layer, head);
        // the matrix's last row is the shading: two pictures of one thing
        int w = (int) Math.round(Math.sqrt(matrix.length));
        double[] lastRow = Arrays.copyOfRange(matrix, (w - 1) * w, w * w);
        int looked = a.newestBack() == 0 ? Math.min(w, a.positions()) : Math.min(w - 1, a.positions());
        double[] expectedRow = new double[w];
        System.arraycopy(headWeights, a.positions() - looked, expectedRow, w - a.newestBack() - looked, looked);
        assertClose(expectedRow, lastRow, "the matrix's last row");
    }

    /** Waits for the matrix of this layer and head and compares it with core's over the same characters. */
    private static double[] assertMatrixIs(LanguageModel model, int layer, int head) {
        browser.waitUntil(d -> {
            Map<String, Object> m = matrixShown();
            return m != null && number(m.get("layer")).intValue() == layer && number(m.get("head")).intValue() == head;
        });
        Written jvm = write(model);
        int[] ids = jvm.ids();
        // a gpt reads what its cache holds; the attending LSTM the whole text
        int[] read = model instanceof Gpt ? Arrays.copyOfRange(ids, ids.length - jvm.attention().positions(), ids.length) : ids;
        double[] expected = ((Attending) model).attentionMatrix(read, layer, head, 16);
        double[] values = numbers(matrixShown().get("values"));
        assertClose(expected, values, "the matrix of layer " + layer + ", head " + head);
        return values;
    }

    /** Focused, the matrix points at the last row's heaviest cell; Home moves to its first column. */
    private static void matrixByKeyboard() {
        double[] values = numbers(matrixShown().get("values"));
        int w = (int) Math.round(Math.sqrt(values.length));
        WebElement canvas = browser.find("#attention-matrix");
        browser.script("arguments[0].focus()", canvas);
        double max = Arrays.stream(values, (w - 1) * w, w * w).max().orElseThrow();
        assertEquals(max, Double.parseDouble(browser.attribute("#attention-readout", "data-weight")), 0.0);
        canvas.sendKeys(Keys.HOME);
        assertEquals(values[(w - 1) * w], Double.parseDouble(browser.attribute("#attention-readout", "data-weight")), 0.0);
        assertTrue(browser.text("#attention-readout").startsWith("“"), browser.text("#attention-readout"));
    }

    /** At 390 px the page does not scroll sideways and the view stays on screen (the matrix scrolls in its box). */
    private static void fitsAPhone() {
        try {
            browser.driver.manage().window().setSize(new Dimension(390, 844));
            browser.waitUntil(d -> ((Number) browser.script("return window.innerWidth")).intValue() <= 400);
            browser.assertFitsAPhone("#attention > *");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    /** Core's writer on the JVM with the page's prime, settings and seed. */
    private static Written write(LanguageModel model) {
        Generator writer = new Generator(model, TEMPERATURE, 0, SEED);
        int[] prime = writer.feed(PRIME).ids();
        int[] ids = Arrays.copyOf(prime, prime.length + LENGTH);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            ids[prime.length + i] = writer.next();
            text.append(model.vocab().symbol(ids[prime.length + i]));
        }
        return new Written(text.toString(), ids, writer.attention());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> shown() {
        return (Map<String, Object>) browser.script("return document.getElementById('attention').attentionShown()");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> matrixShown() {
        return (Map<String, Object>) shown().get("matrix");
    }

    private static Number number(Object o) {
        return (Number) o;
    }

    @SuppressWarnings("unchecked")
    private static double[] numbers(Object list) {
        return ((List<Object>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + ": off by " + worst + " at " + at + " (core " + (at < 0 ? "" : expected[at])
                + ", page " + (at < 0 ? "" : actual[at]) + "); first values core " + Arrays.toString(Arrays.copyOf(expected, 4))
                + ", page " + Arrays.toString(Arrays.copyOf(actual, 4)));
    }
}
