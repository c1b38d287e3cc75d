package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.job.JobSpec;
import dev.rnnplayground.server.model.DefaultModelTest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * "Compare runs": a race starts four ordinary jobs (rnn, lstm, gru, gpt at about equal parameters) and
 * shows what the jobs API returns for them (each validation point against time and characters, the
 * table, who led), and a reload finds them again; the clipping preset diverges without clipping and
 * trains with it.
 * "How long can each model remember?", the other experiment that compares models, shares this boot.
 */
class RacePageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();
    static String corpusId;

    @BeforeAll
    static void start() throws Exception {
        String excerpt = Files.readString(DefaultModelTest.shakespeare()).substring(0, 20_000);
        HttpResponse<String> r = HttpClient.newHttpClient().send(browser.request("/api/corpora?name=shakespeare-excerpt")
                .header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(excerpt)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        corpusId = Jackson.MAPPER.readTree(r.body()).get("id").asText();
    }

    private static void startRuns(String preset, int steps, int hidden) {
        browser.open("/#" + BrowserSession.QUIET + "&racePreset=" + preset);
        browser.waitUntil(d -> new Select(browser.find("#race-corpus")).getOptions().size() > 0);
        // before any run there is nothing to draw: no empty axes
        assertTrue(!browser.find("#race-chart").isDisplayed() && !browser.find("#race-norm-chart").isDisplayed()
                && !browser.find("#race-axis").isDisplayed(), "charts before any run");
        new Select(browser.find("#race-corpus")).selectByValue(corpusId);
        setValue("#race-steps", steps);
        if (preset.equals("cells")) {
            setValue("#race-hidden", hidden);
        } else {
            // the clipping experiment has its own size: the field says it and cannot be changed
            assertTrue(!browser.find("#race-hidden").isEnabled(), "the hidden size is the experiment's");
            assertEquals(String.valueOf(hidden), browser.find("#race-hidden").getDomProperty("value"));
        }
        browser.find("#race-start").click();
        browser.waitUntil(Duration.ofSeconds(180), d -> "done".equals(browser.attribute("#race-table", "data-state")));
    }

    private static void setValue(String css, int value) {
        WebElement input = browser.find(css);
        input.clear();
        input.sendKeys(String.valueOf(value));
    }

    @Test
    void aRaceOfFourModelsShowsWhatTheJobsReportAndAReloadFindsThemAgain() throws Exception {
        startRuns("cells", 60, 16);
        String hash = (String) browser.script("return location.hash");
        assertTrue(hash.contains("race="), hash);
        String[] ids = java.net.URLDecoder.decode(hash.replaceAll(".*race=([^&]*).*", "$1"), "UTF-8").split(",");
        assertEquals(4, ids.length);
        List<Run> runs = new ArrayList<>();
        for (String id : ids) runs.add(Run.of(id));
        for (Run r : runs) {
            assertEquals("done", r.job.get("status").asText(), "an ordinary job, finished: " + r.job);
            assertEquals(60, r.job.get("step").asInt());
        }
        assertSizedAlike(runs);
        assertEquals("8", browser.attribute("#race-chart", "data-datasets"), "a training and a validation curve per run");
        assertCurves();
        assertEquals(runs.stream().map(Run::name).toList(), firstColumn());
        assertTableSaysWhatTheJobsSay(runs);
        assertLeaders(runs);
        for (String axis : new String[] {"time", "characters"}) {
            new Select(browser.find("#race-axis")).selectByValue(axis);
            assertValidationPointsAre(runs, axis);
        }

        hash = (String) browser.script("return location.hash");
        assertTrue(hash.contains("raceAxis=characters"), hash);
        browser.open("/" + hash);
        browser.waitUntil(Duration.ofSeconds(30), d -> "done".equals(browser.attribute("#race-table", "data-state")));
        assertEquals("8", browser.attribute("#race-chart", "data-datasets"));
        assertEquals("characters", browser.find("#race-axis").getDomProperty("value"), "the axis comes back from the address");
        assertValidationPointsAre(runs, "characters");
        assertTableSaysWhatTheJobsSay(runs);
        assertLeaders(runs);
        assertPickersTellTheRunsApart();
        assertAPhoneStaysNarrowAndItsButtonsRespond();
    }

    /** A job as the API returns it, its history, and the size of its text's alphabet. */
    private record Run(JsonNode job, JsonNode history, int vocab) {
        static Run of(String id) throws Exception {
            JsonNode job = Jackson.MAPPER.readTree(get("/api/jobs/" + id));
            int vocab = -1;
            for (JsonNode c : Jackson.MAPPER.readTree(get("/api/corpora"))) {
                if (c.get("id").asText().equals(corpusId)) vocab = c.get("distinctSymbols").asInt();
            }
            return new Run(job, Jackson.MAPPER.readTree(get("/api/jobs/" + id + "/history")), vocab);
        }

        String name() {
            return job.get("name").asText().replaceAll("^.*: ", "");
        }

        Architecture architecture() throws Exception {
            return Jackson.MAPPER.treeToValue(job.get("spec"), JobSpec.class).toConfig().architecture();
        }

        long parameters() throws Exception {
            return architecture().parameterCount(vocab);
        }

        /** The validation points of its progress events: {seconds, characters, loss}. */
        List<double[]> validation() {
            List<double[]> points = new ArrayList<>();
            for (JsonNode e : history) {
                JsonNode d = e.get("data");
                if (e.get("type").asText().equals("progress") && d.get("valLoss").isNumber()) {
                    points.add(new double[] {d.get("trainingSeconds").asDouble(), d.get("charactersSeen").asDouble(), d.get("valLoss").asDouble()});
                }
            }
            return points;
        }
    }

    /**
     * About the same parameters, counted by core on the JVM: each run the largest of its family that
     * stays within the LSTM's (a GPT's width in steps of its heads); the same steps, batch and window,
     * and the GPT with its own optimizer.
     */
    private static void assertSizedAlike(List<Run> runs) throws Exception {
        Run lstm = runs.get(1);
        assertEquals("lstm", lstm.architecture().kind().id());
        assertEquals(16, lstm.architecture().hidden());
        long target = lstm.parameters();
        for (Run r : runs) {
            Architecture a = r.architecture();
            int stride = a.kind().id().equals("gpt") ? a.heads() : 1;
            Architecture larger = new Architecture(a.kind(), a.hidden() + stride, a.layers(), a.heads(), a.blockSize(), a.bias(), a.attend());
            assertTrue(r.parameters() <= target && larger.parameterCount(r.vocab) > target,
                    r.name() + ": " + r.parameters() + " parameters, " + larger.parameterCount(r.vocab) + " one size up, the LSTM's " + target);
            for (String same : new String[] {"steps", "batchSize", "seqLength", "evalEvery"}) {
                assertEquals(lstm.job.get("spec").get(same), r.job.get("spec").get(same), r.name() + " " + same);
            }
        }
        JsonNode gpt = runs.get(3).job.get("spec");
        assertEquals(List.of("gpt", "2", "4", "adamw"), List.of(gpt.get("cell").asText(), gpt.get("layers").asText(),
                gpt.get("heads").asText(), gpt.get("optimizer").asText()));
    }

    /** Each row: core's parameter count, the job's time, final validation loss and speed, printed as the page prints them. */
    private static void assertTableSaysWhatTheJobsSay(List<Run> runs) throws Exception {
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#race-table tbody tr"));
        assertEquals(runs.size(), rows.size());
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            List<String> cells = rows.get(i).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
            assertEquals(List.of(r.name(), String.format(Locale.US, "%,d", r.parameters()), "done",
                    fixed(r.job.get("trainingSeconds").asDouble(), 1) + " s", fixed(r.job.get("valLoss").asDouble(), 3),
                    String.format(Locale.US, "%,d", Math.round(r.job.get("charsPerSecond").asDouble()))),
                    List.of(cells.get(0), cells.get(1), cells.get(2), cells.get(4), cells.get(6), cells.get(7)), r.name());
        }
    }

    /** The chart's validation points of each run, on the time or characters axis, are its progress events'. */
    private static void assertValidationPointsAre(List<Run> runs, String axis) {
        assertEquals(axis.equals("time") ? "training time (s)" : "characters read", browser.script(
                "return Chart.getChart(document.getElementById('race-chart')).options.scales.x.title.text"));
        List<List<double[]>> lines = browser.chartLines("race-chart");
        for (int i = 0; i < runs.size(); i++) {
            List<double[]> expected = runs.get(i).validation(), drawn = lines.get(2 * i + 1);
            assertEquals(expected.size(), drawn.size(), runs.get(i).name() + " validation points on " + axis);
            for (int k = 0; k < expected.size(); k++) {
                double[] e = expected.get(k);
                assertEquals(axis.equals("time") ? e[0] : e[1], drawn.get(k)[0], 1e-12, runs.get(i).name() + " x of point " + k);
                assertEquals(e[2], drawn.get(k)[1], 1e-12, runs.get(i).name() + " loss of point " + k);
            }
        }
    }

    /**
     * Who led, worked out here from the jobs' histories: at the quickest run's whole time, and at the
     * fewest characters any run read, each run's last validation loss at or before it; the lowest wins.
     */
    private static void assertLeaders(List<Run> runs) {
        for (int key = 0; key < 2; key++) {
            final int k = key;
            double budget = runs.stream().mapToDouble(r -> r.validation().get(r.validation().size() - 1)[k]).min().orElseThrow();
            int winner = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < runs.size(); i++) {
                double loss = Double.NaN;
                for (double[] p : runs.get(i).validation()) if (p[k] <= budget) loss = p[2];
                if (loss < best) {
                    best = loss;
                    winner = i;
                }
            }
            WebElement line = browser.find("#race-leaders p[data-key='" + (k == 0 ? "seconds" : "characters") + "']");
            assertTrue(line.isDisplayed(), "the leader line is shown");
            assertEquals(runs.get(winner).name(), line.getDomAttribute("data-run"), line.getText());
            assertEquals(best, Double.parseDouble(line.getDomAttribute("data-loss")), 1e-12, line.getText());
            assertEquals(budget, Double.parseDouble(line.getDomAttribute("data-budget")), 1e-12, line.getText());
            assertTrue(line.getText().contains(runs.get(winner).name() + " led, validation loss " + fixed(best, 3)), line.getText());
        }
    }

    /** As JavaScript's toFixed prints it: the double's exact value, halves rounded up. */
    private static String fixed(double x, int digits) {
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * Each run's model in both pickers: one name each, no network said twice, the text it learnt from
     * ("Compare with" of Gradients through time lists the recurrent networks, so not the GPT).
     */
    private static void assertPickersTellTheRunsApart() {
        for (String picker : new String[] {"#model-select", "#compare-select"}) {
            List<String> labels = new Select(browser.find(picker)).getOptions().stream().map(WebElement::getText).toList();
            assertEquals(labels.size(), new java.util.HashSet<>(labels).size(), picker + ": " + labels);
            List<String> runs = labels.stream().filter(l -> l.startsWith("Four models, one race:")).toList();
            assertTrue(runs.size() >= (picker.equals("#model-select") ? 4 : 3), picker + ": " + labels);
            for (String run : runs) {
                assertTrue(run.contains("shakespeare-excerpt"), run);
                assertTrue(!run.matches(".*(\\w+ \\d+) · \\1.*"), "the network said twice: " + run);
            }
        }
    }

    /**
     * After a race, on a phone: the long model names in "Compare with" do not widen the page, and
     * the buttons below it still answer a tap (a click Selenium would find covered fails).
     */
    private static void assertAPhoneStaysNarrowAndItsButtonsRespond() {
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.waitUntil(d -> ((Number) browser.script("return window.innerWidth")).intValue() <= 400);
            long inner = (Long) browser.script("return window.innerWidth");
            long width = (Long) browser.script("return document.documentElement.scrollWidth");
            assertTrue(width <= inner, "the page is " + width + " px wide in a " + inner + " px window");
            // the lines that say who led wrap inside the window
            browser.assertFitsAPhone("#race-leaders, #race-leaders *");
            browser.script("arguments[0].scrollIntoView({block: 'center'})", browser.find("#bptt-step"));
            browser.find("#bptt-step").click();
            browser.waitUntil(d -> "1".equals(browser.attribute("#bptt", "data-steps")));
            browser.script("arguments[0].scrollIntoView({block: 'center'})", browser.find("#gc-run"));
            browser.find("#gc-run").click();
            browser.waitUntil(Duration.ofSeconds(20), d -> !browser.driver.findElements(By.cssSelector("#gc-table tbody tr")).isEmpty());
        } finally {
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }
    }

    @Test
    void withoutClippingTheRnnDivergesAndWithClippingItTrains() throws Exception {
        startRuns("clipping", 60, 64);
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#race-table tbody tr"));
        assertEquals(2, rows.size());
        assertEquals("failed", rows.get(0).getDomAttribute("data-status"));
        String reason = rows.get(0).findElements(By.tagName("td")).get(2).getText();
        assertTrue(reason.matches("(?s).*diverged at step \\d+.*"), reason);
        assertEquals("done", rows.get(1).getDomAttribute("data-status"));
        assertEquals(List.of("clipping off 64", "clipping at 0.5 64"), firstColumn());
        // a diverged run has no final loss to report (the last finite one would read as a result)
        assertEquals(List.of("–", "–"), rows.get(0).findElements(By.tagName("td")).subList(5, 7).stream().map(WebElement::getText).toList());
        // the norms are those before clipping, and the threshold is drawn
        assertEquals("gradient norm, before clipping", browser.script(
                "return Chart.getChart(document.getElementById('race-norm-chart')).options.scales.y.title.text"));
        List<String> normLabels = browser.chartLabels("race-norm-chart");
        assertEquals("clipping threshold 0.5: larger norms were scaled down to it", normLabels.get(normLabels.size() - 1));
        assertTrue(browser.chartLines("race-norm-chart").get(2).stream().allMatch(p -> p[1] == 0.5));
        // enough labelled ticks to read the log axis, and every point of both charts inside its axes
        @SuppressWarnings("unchecked")
        List<String> ticks = (List<String>) browser.script("return Chart.getChart(document.getElementById('race-norm-chart')).scales.y.ticks"
                + ".filter(t => t.label != null && t.label !== '').map(t => String(t.label))");
        assertTrue(ticks.size() >= 3, "y tick labels on the norm chart: " + ticks + ", all: " + browser.script(
                "const s = Chart.getChart(document.getElementById('race-norm-chart')).scales.y;"
                + " return JSON.stringify([s.min, s.max, s.height, s.ticks.map(t => [t.value, t.label])])"));
        for (String chart : new String[] {"race-chart", "race-norm-chart"}) {
            assertEquals(Boolean.TRUE, browser.script("const c = Chart.getChart(document.getElementById(arguments[0]));"
                    + " return c.data.datasets.every(d => d.data.every(p => p.y == null || (p.y >= c.scales.y.min && p.y <= c.scales.y.max)))",
                    chart), chart + ": a point outside the axes");
        }
        assertTrue(((Number) browser.script("return Chart.getChart(document.getElementById('race-norm-chart'))"
                + ".data.datasets[1].data.length")).intValue() > 0, "the gradient norm is drawn");
    }

    @SuppressWarnings("unchecked")
    private static void assertCurves() {
        List<Number> sizes = (List<Number>) browser.script(
                "return Chart.getChart(document.getElementById('race-chart')).data.datasets.map(d => d.data.length)");
        for (int i = 0; i < sizes.size(); i++) assertTrue(sizes.get(i).intValue() > 0, "curve " + i + " has points: " + sizes);
    }

    private static List<String> firstColumn() {
        return browser.driver.findElements(By.cssSelector("#race-table tbody tr td:first-child")).stream()
                .map(WebElement::getText).toList();
    }

    /**
     * "How long can each model remember?" on a tiny budget, started from the keyboard: the chart's
     * means and bands, the caption's gaps and the table are the numbers the API returned; a reload
     * of the address follows the same run; a phone does not scroll sideways.
     */
    @Test
    void theMemorySpanViewShowsWhatTheServerMeasured() throws Exception {
        browser.open("/#" + BrowserSession.QUIET + "&spanCells=rnn,lstm,gpt&spanGaps=1,40&spanSeeds=2&spanSteps=20");
        assertTrue(!browser.find("#memspan-chart").isDisplayed(), "no empty axes before a run");
        browser.find("#memspan-run").sendKeys(org.openqa.selenium.Keys.ENTER);
        browser.waitUntil(Duration.ofSeconds(120), d -> "done".equals(browser.attribute("#memspan-table", "data-state")));
        assertTrue(!browser.find("#memspan-cancel").isDisplayed(), "nothing to cancel once done");
        JsonNode run = Jackson.MAPPER.readTree(get("/api/experiments/memory-span"));
        assertEquals("done", run.get("status").asText());
        assertEquals(12, run.get("results").size(), "3 models x 2 gaps x 2 seeds");
        assertTrue(((String) browser.script("return location.hash")).contains("span=" + run.get("id").asText()));
        assertChartAndCaptionAre(run);

        String hash = (String) browser.script("return location.hash");
        browser.open("/" + hash);
        browser.waitUntil(Duration.ofSeconds(15), d -> "done".equals(browser.attribute("#memspan-table", "data-state")));
        assertChartAndCaptionAre(run);

        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.waitUntil(d -> ((Number) browser.script("return window.innerWidth")).intValue() <= 400);
            browser.assertFitsAPhone("#memspan .section-head, #memspan .memspan-form, #memspan .chart-box, #memspan p");
        } finally {
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }
    }

    private static final java.util.Map<String, String> NAMES =
            java.util.Map.of("rnn", "vanilla rnn", "lstm", "lstm", "gru", "gru", "lstm-attention", "attending lstm", "gpt", "gpt");

    @SuppressWarnings("unchecked")
    private static void assertChartAndCaptionAre(JsonNode run) {
        List<java.util.Map<String, Object>> drawn = (List<java.util.Map<String, Object>>) browser.script(
                "return Chart.getChart(document.getElementById('memspan-chart')).data.datasets"
                        + ".map(d => ({cell: d.cell || '', kind: d.kind, points: d.data.map(p => [p.x, p.y])}))");
        // the caption opens with a capital; compared in lower case
        String caption = browser.text("#memspan-caption").toLowerCase(java.util.Locale.ROOT);
        for (JsonNode line : run.get("summary")) {
            String cell = line.get("cell").asText();
            for (String kind : new String[] {"mean", "min", "max"}) {
                List<List<Number>> points = (List<List<Number>>) drawn.stream()
                        .filter(d -> d.get("cell").equals(cell) && d.get("kind").equals(kind)).findFirst().orElseThrow().get("points");
                assertEquals(line.get("gaps").size(), points.size(), cell + " " + kind);
                for (int i = 0; i < points.size(); i++) {
                    JsonNode served = line.get("gaps").get(i);
                    assertEquals(served.get("gap").asDouble(), points.get(i).get(0).doubleValue(), cell);
                    assertEquals(served.get(kind).asDouble(), points.get(i).get(1).doubleValue(), 0.0, cell + " " + kind + " at gap " + served.get("gap"));
                }
            }
            String name = NAMES.get(cell);
            JsonNode recalled = line.get("longestRecalled");
            assertTrue(caption.contains("the " + name + " recalls (mean ≥ 0.9) "
                    + (recalled.isNull() ? "at no gap measured" : "up to gap " + recalled.asInt())), caption);
            JsonNode chance = line.get("chanceFrom");
            assertTrue(caption.contains(chance.isNull() ? "is above chance at every gap measured" : "at chance (mean ≤ 0.31) from gap " + chance.asInt() + " on"),
                    caption);
            // the table row: mean (min–max) at each gap, to two places
            String row = browser.text("#memspan-table tr[data-cell='" + cell + "']");
            JsonNode last = line.get("gaps").get(line.get("gaps").size() - 1);
            assertTrue(row.contains(String.format(java.util.Locale.ROOT, "%.2f (%.2f–%.2f)", last.get("mean").asDouble(),
                    last.get("min").asDouble(), last.get("max").asDouble())), row);
        }
        // a gated cell beat the vanilla RNN where its mean is above the RNN's best seed
        JsonNode rnn = run.get("summary").get(0).get("gaps"), lstm = run.get("summary").get(1).get("gaps");
        boolean ahead = false;
        for (int i = 0; i < rnn.size(); i++) ahead |= lstm.get(i).get("mean").asDouble() > rnn.get(i).get("max").asDouble();
        assertEquals(ahead ? "gated-ahead" : "not-shown", browser.attribute("#memspan-caption", "data-shows"), caption);
        List<List<Number>> chanceLine = (List<List<Number>>) drawn.stream().filter(d -> "chance".equals(d.get("kind"))).findFirst().orElseThrow().get("points");
        assertEquals(0.25, chanceLine.get(0).get(1).doubleValue());
        // gaps 1 to 40 hold the GPT's last gap in sight (30), not the attending LSTM's (not run)
        assertEquals(List.of("gpt"), drawn.stream().filter(d -> "in-sight".equals(d.get("kind"))).map(d -> d.get("cell")).toList());
        List<List<Number>> block = (List<List<Number>>) drawn.stream().filter(d -> "in-sight".equals(d.get("kind"))).findFirst().orElseThrow().get("points");
        assertEquals(run.get("plan").get("inSight").get("gpt").asDouble(), block.get(0).get(0).doubleValue());
        JsonNode gptAt1 = run.get("summary").get(2).get("gaps").get(0), gptAt40 = run.get("summary").get(2).get("gaps").get(1);
        if (gptAt1.get("mean").asDouble() <= run.get("atChance").asDouble()) {
            assertTrue(caption.contains("the gpt is at chance even inside its block (gap ≤ 30)"), caption);
            return;
        }
        assertTrue(caption.contains(String.format(java.util.Locale.ROOT, "past its block (gap > 30) the gpt %s: mean %.2f at gap 40",
                gptAt40.get("mean").asDouble() <= run.get("atChance").asDouble() ? "is at chance" : "is not at chance, which it should be",
                gptAt40.get("mean").asDouble())), caption);
    }

    private static String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(browser.request(path).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
