package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.rnn.BackwardSteps;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.common.Jackson;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.Select;

/**
 * "Backpropagation through time, step by step": core's BackwardSteps compiled by TeaVM runs in the
 * page (both builds). Each press of "Step back" shows the numbers core computes on the JVM for the
 * same cell, text and seed; after the last step ‖dW‖ is the whole window's gradient; a link (and
 * the lesson's) restores the view; it fits a phone.
 */
class BpttPageTest {

    private static final String TEXT = "hello world";   // the page's default
    private static final long SEED = 1;                 // the page's seed
    private static final double TOLERANCE = 1e-9;       // the browser's Math.tanh and exp may differ in the last bits

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();

    @Test
    void eachStepBackShowsCoresNumbersInBothBuilds() throws Exception {
        for (String query : List.of("/", "/?engine=js")) {
            browser.open(query + "#" + BrowserSession.QUIET + "&bpttCell=lstm");
            assertEquals(query.contains("js") ? "js" : "wasm", browser.attribute("body", "data-engine"));
            assertEquals("0", browser.attribute("#bptt", "data-steps"));
            assertEquals("10", browser.attribute("#bptt", "data-window"));
            assertEquals(10, browser.driver.findElements(By.cssSelector("#bptt-window .bptt-symbol")).size());
            assertTrue(browser.text("#bptt-summary").startsWith("Forward done: 10 predictions"), browser.text("#bptt-summary"));

            BackwardSteps core = BackwardSteps.tinyModel(CellType.LSTM, TEXT, SEED);
            for (int t = 0; t < 10; t++) assertClose(core.hidden(t), values("#bptt-vectors [data-row=h" + t + "]"), "h_" + t);
            for (int pressed = 1; pressed <= 4; pressed++) {
                stepBack(pressed);
                BackwardSteps.Step step = core.stepBack();
                assertEquals(String.valueOf(step.t()), browser.attribute("#bptt-window .current", "data-t"));
                assertEquals(pressed - 1, browser.driver.findElements(By.cssSelector("#bptt-window .done")).size());
                assertShows(step, CellType.LSTM);
            }
            assertTrue(((String) browser.script("return location.hash")).contains("bpttSteps=4"));

            browser.find("#bptt-all").click();
            browser.waitUntil(d -> "10".equals(browser.attribute("#bptt", "data-steps")));
            assertTrue(browser.find("#bptt-step").getDomProperty("disabled").equals("true"));
            assertTrue(browser.text("#bptt-summary").endsWith("exactly what one whole backward pass computes."),
                    browser.text("#bptt-summary"));
            assertClose(wholeWindowGradientNorms(CellType.LSTM), values("#bptt-dw"), "‖dW‖ after the last step");
            browser.find("#bptt-reset").click();
            browser.waitUntil(d -> "0".equals(browser.attribute("#bptt", "data-steps")));
        }
    }

    @Test
    void afterTheLastStepTheGradientIsTheWholeWindowsForEveryCell() throws Exception {
        for (CellType cell : CellType.RECURRENT) {
            browser.open("/#" + BrowserSession.QUIET + "&bpttCell=" + cell.id() + "&bpttSteps=10");
            assertEquals("10", browser.attribute("#bptt", "data-steps"));
            assertClose(wholeWindowGradientNorms(cell), values("#bptt-dw"), cell + ": ‖dW‖");
            assertEquals(cell.gates(), browser.driver.findElements(By.cssSelector("#bptt-vectors [data-row^=gate]")).size());
            BackwardSteps core = BackwardSteps.tinyModel(cell, TEXT, SEED);
            BackwardSteps.Step last = null;
            while (!core.done()) last = core.stepBack();
            assertShows(last, cell);
            assertEquals("0", browser.attribute("#bptt-window .current", "data-t"));
        }
    }

    @Test
    void theLinkAndTheLessonRestoreTheView() throws Exception {
        browser.open("/#" + BrowserSession.QUIET + "&bpttCell=gru&bpttText=abcabd&bpttSteps=2");
        assertEquals("gru", new Select(browser.find("#bptt-cell")).getFirstSelectedOption().getDomAttribute("value"));
        assertEquals("abcabd", browser.find("#bptt-text").getDomProperty("value"));
        assertEquals("2", browser.attribute("#bptt", "data-steps"));
        BackwardSteps gru = BackwardSteps.tinyModel(CellType.GRU, "abcabd", SEED);
        gru.stepBack();
        assertShows(gru.stepBack(), CellType.GRU);
        theCodeShownIsCoresSourceWithTheStepsLinesMarked();

        browser.open("/#" + BrowserSession.QUIET);
        browser.followLesson("bpttSteps");
        assertEquals("bptt", browser.attribute("body", "data-view"));
        assertEquals("lstm", new Select(browser.find("#bptt-cell")).getFirstSelectedOption().getDomAttribute("value"));
        assertEquals("3", browser.attribute("#bptt", "data-steps"));
        BackwardSteps lstm = BackwardSteps.tinyModel(CellType.LSTM, TEXT, SEED);
        lstm.stepBack();
        lstm.stepBack();
        assertShows(lstm.stepBack(), CellType.LSTM);
    }

    @Test
    void aTextItCannotUseIsSaidAndTheViewFitsAPhone() throws Exception {
        browser.open("/#" + BrowserSession.QUIET + "&bpttText=a");
        assertTrue(browser.text("#bptt-error").contains("the text must have 2 to 17 symbols"), browser.text("#bptt-error"));
        assertTrue(browser.find("#bptt-step").getDomProperty("disabled").equals("true"));
        try {
            browser.driver.manage().window().setSize(new Dimension(390, 844));
            browser.open("/#" + BrowserSession.QUIET + "&bpttCell=lstm&bpttSteps=5&view=bptt");
            browser.assertFitsAPhone("#bptt *");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    /**
     * "Show the code" beside the step-through (and the gradient check, and the unrolled network):
     * each file shown is core's source file on disk, byte for byte, and the marked lines are the
     * block the current step runs, from its first line to the brace that closes it.
     */
    private static void theCodeShownIsCoresSourceWithTheStepsLinesMarked() throws Exception {
        browser.script("document.getElementById('bptt-code').open = true");
        assertMarked("#bptt-code", Map.of("rnn/RecurrentLayer.java", "final void backwardStep(", "rnn/GruCell.java", "void cellBackward("));
        assertTrue(browser.text("#bptt-code figcaption").contains("here at t = 3"), browser.text("#bptt-code figcaption"));
        browser.find("#bptt-reset").click();
        assertMarked("#bptt-code", Map.of("rnn/RecurrentLayer.java", "final void forward(", "rnn/GruCell.java", "void cellForward("));

        browser.script("document.getElementById('gc-code').open = true");
        assertMarked("#gc-code", Map.of("lab/GradientCheck.java", "for (Param p : model.parameters())"));
        if ("true".equals(browser.attribute("body", "data-recurrent"))) {
            browser.script("document.getElementById('architecture-code').open = true");
            String cell = (String) browser.script("return document.querySelectorAll('#architecture-code figure')[1].dataset.path");
            assertMarked("#architecture-code", Map.of("rnn/RecurrentLayer.java", "final void step(", cell, "void cellForward("));
        }
        try {
            browser.driver.manage().window().setSize(new Dimension(390, 844));
            browser.assertFitsAPhone("#bptt-code, #gc-code");   // the code scrolls inside its own box
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    /** Each file of the panel is core's, and exactly the block that starts at its anchor is marked. */
    private static void assertMarked(String panel, Map<String, String> anchors) throws Exception {
        browser.waitUntil(d -> "shown".equals(browser.attribute(panel, "data-state"))
                && anchors.keySet().equals(java.util.Set.copyOf(pathsShown(panel))));
        for (var e : anchors.entrySet()) {
            String figure = panel + " figure[data-path='" + e.getKey() + "']";
            String source = java.nio.file.Files.readString(
                    java.nio.file.Path.of("../core/src/main/java/dev/rnnplayground/core", e.getKey()));
            assertEquals(source, browser.script("return document.querySelector(arguments[0] + ' pre').textContent", figure),
                    e.getKey() + ": the page shows core's file as it is");
            @SuppressWarnings("unchecked")
            List<Long> marked = (List<Long>) browser.script("return [...document.querySelectorAll(arguments[0] + ' .current')]"
                    + ".map(l => Number(l.dataset.line))", figure);
            String[] lines = source.split("\n", -1);
            int first = marked.get(0).intValue(), last = marked.get(marked.size() - 1).intValue();
            assertEquals(last - first + 1, marked.size(), e.getKey() + ": one run of lines");
            assertTrue(lines[first - 1].contains(e.getValue()), e.getKey() + ": starts at " + lines[first - 1]);
            String indent = lines[first - 1].substring(0, lines[first - 1].indexOf(lines[first - 1].strip()));
            assertEquals(indent + "}", lines[last - 1], e.getKey() + ": ends where the block's brace closes");
            for (int i = first; i < last - 1; i++) {
                assertTrue(!lines[i].equals(indent + "}"), e.getKey() + ": the block closes early, at line " + (i + 1));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> pathsShown(String panel) {
        return (List<String>) browser.script("return [...document.querySelectorAll(arguments[0] + ' figure')].map(f => f.dataset.path)", panel);
    }

    private static void stepBack(int expectedSteps) {
        browser.find("#bptt-step").click();
        browser.waitUntil(d -> String.valueOf(expectedSteps).equals(browser.attribute("#bptt", "data-steps")));
    }

    /** Every vector the view shows for the step equals core's, and each shown number is that value rounded. */
    private static void assertShows(BackwardSteps.Step step, CellType cell) throws Exception {
        Map<String, double[]> expected = new LinkedHashMap<>();
        expected.put("fromLoss", step.fromLoss());
        expected.put("fromLater", step.fromLater());
        expected.put("total", step.total());
        expected.put("passedBack", step.passedBack());
        if (cell == CellType.LSTM) {
            expected.put("cellFromLater", step.cellFromLater());
            expected.put("cellPassedBack", step.cellPassedBack());
        }
        int hidden = BackwardSteps.TINY_HIDDEN;
        for (int g = 0; g < cell.gates(); g++) {
            expected.put("gate" + g, Arrays.copyOfRange(step.gateGradients(), g * hidden, (g + 1) * hidden));
        }
        assertEquals(expected.size(), browser.driver.findElements(By.cssSelector("#bptt-vectors .bptt-row")).size());
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            String row = "#bptt-vectors [data-row=" + e.getKey() + "]";
            assertClose(e.getValue(), values(row), "t = " + step.t() + ", " + e.getKey());
            @SuppressWarnings("unchecked")
            List<String> shown = (List<String>) browser.script(
                    "return [...document.querySelectorAll(arguments[0] + ' .num')].map(n => n.textContent)", row);
            for (int j = 0; j < hidden; j++) {
                double value = e.getValue()[j];
                assertEquals(value, Double.parseDouble(shown.get(j).replace('−', '-')), Math.abs(value) * 0.051 + 1e-300,
                        e.getKey() + " unit " + j + " shows " + shown.get(j));
            }
        }
        assertClose(step.accumulated(), values("#bptt-dw"), "t = " + step.t() + ", ‖dW‖");
    }

    /** ‖dL/dW‖ of the layer's four tensors for the whole window, by core's ordinary backward pass. */
    private static double[] wholeWindowGradientNorms(CellType cell) {
        CharRnn model = BackwardSteps.tinyModel(cell, TEXT, SEED).model().copy();
        int[] ids = model.vocab().encode(TEXT).ids();
        model.lossAndGradients(new int[][] {Arrays.copyOfRange(ids, 0, 10)}, new int[][] {Arrays.copyOfRange(ids, 1, 11)},
                model.zeroState(1));
        double[] norms = new double[4];
        for (int p = 0; p < 4; p++) {
            Param param = model.parameters().get(p);
            double squares = 0;
            for (double d : param.dw) squares += d * d;
            norms[p] = Math.sqrt(squares);
        }
        return norms;
    }

    private static double[] values(String css) throws Exception {
        JsonNode node = Jackson.MAPPER.readTree(browser.attribute(css, "data-values"));
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) out[i] = node.get(i).asDouble();
        return out;
    }

    private static void assertClose(double[] expected, double[] inPage, String what) {
        assertEquals(expected.length, inPage.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], inPage[i], TOLERANCE * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }
}
