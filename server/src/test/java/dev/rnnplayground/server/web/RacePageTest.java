package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.model.DefaultModelTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * "Compare runs": a race starts three ordinary jobs and draws a training and a validation curve for
 * each, and a reload finds them again; the clipping preset diverges without clipping and trains with it.
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
        browser.open("/#speed=0&length=5&racePreset=" + preset);
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
    void aRaceTrainsThreeCellsAndAReloadFindsThemAgain() throws Exception {
        startRuns("cells", 20, 16);
        String hash = (String) browser.script("return location.hash");
        assertTrue(hash.contains("race="), hash);
        String[] ids = java.net.URLDecoder.decode(hash.replaceAll(".*race=([^&]*).*", "$1"), "UTF-8").split(",");
        assertEquals(3, ids.length);
        for (String id : ids) {
            JsonNode job = Jackson.MAPPER.readTree(get("/api/jobs/" + id));
            assertEquals("done", job.get("status").asText(), "an ordinary job, finished: " + job);
            assertEquals(20, job.get("step").asInt());
        }
        assertEquals("6", browser.attribute("#race-chart", "data-datasets"), "a training and a validation curve per run");
        assertCurves();
        assertEquals(List.of("RNN 16", "LSTM 16", "GRU 16"), firstColumn());

        browser.open("/" + hash);
        browser.waitUntil(Duration.ofSeconds(30), d -> "done".equals(browser.attribute("#race-table", "data-state")));
        assertEquals("6", browser.attribute("#race-chart", "data-datasets"));
        assertCurves();
        assertPickersTellTheRunsApart();
        assertAPhoneStaysNarrowAndItsButtonsRespond();
    }

    /** Each run's model in both pickers: one name each, no network said twice, the text it learnt from. */
    private static void assertPickersTellTheRunsApart() {
        for (String picker : new String[] {"#model-select", "#compare-select"}) {
            List<String> labels = new Select(browser.find(picker)).getOptions().stream().map(WebElement::getText).toList();
            assertEquals(labels.size(), new java.util.HashSet<>(labels).size(), picker + ": " + labels);
            List<String> runs = labels.stream().filter(l -> l.startsWith("Three cells, one race:")).toList();
            assertTrue(runs.size() >= 3, picker + ": " + labels);
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

    private static String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(browser.request(path).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
