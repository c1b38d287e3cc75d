package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.model.DefaultModelTest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * "From bigram to Transformer, one rung at a time": run from the keyboard on a very short budget,
 * the page draws and tabulates exactly what the API returns for that budget, restores its steps and
 * seed from the address, and fits a phone.
 */
class LadderPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();

    private static final int STEPS = 12;
    private static final int SEED = 3;

    @Test
    @SuppressWarnings("unchecked")
    void theChartAndTableShowWhatTheApiReturnsForTheBudget() throws Exception {
        PageApi api = new PageApi(browser);
        String excerpt = Files.readString(DefaultModelTest.shakespeare()).substring(0, 20_000);
        String corpus = api.postText("/api/corpora?name=shakespeare-excerpt", excerpt).get("id").asText();

        browser.open("/#" + BrowserSession.QUIET + "&ladderSteps=" + STEPS + "&ladderSeed=" + SEED + "&view=ladder");
        assertEquals(String.valueOf(STEPS), browser.find("#ladder-steps").getDomProperty("value"), "steps from the address");
        assertEquals(String.valueOf(SEED), browser.find("#ladder-seed").getDomProperty("value"), "seed from the address");
        assertTrue(!browser.find("#ladder-chart").isDisplayed(), "no empty axes before a run");
        browser.waitUntil(d -> new Select(browser.find("#ladder-corpus")).getOptions().size() > 0);
        new Select(browser.find("#ladder-corpus")).selectByValue(corpus);
        browser.find("#ladder-run").sendKeys(Keys.ENTER);   // by keyboard
        browser.waitUntil(Duration.ofSeconds(120), d -> List.of("done", "error").contains(browser.attribute("#ladder-table", "data-state")));
        assertEquals("done", browser.attribute("#ladder-table", "data-state"), browser.text("#ladder-error"));
        assertEquals("6", browser.find("#ladder-progress").getDomProperty("value"));

        // the same budget straight from the API: the rungs do not depend on each other, so one request gives the same numbers
        JsonNode truth = api.post("/api/experiments/ladder", Map.of("corpusId", corpus, "steps", STEPS, "seed", SEED)).get("rungs");
        assertEquals(6, truth.size());
        List<Number> ours = (List<Number>) browser.script("return Chart.getChart(document.getElementById('ladder-chart')).data.datasets[0].data");
        List<Number> lecture = (List<Number>) browser.script("return Chart.getChart(document.getElementById('ladder-chart')).data.datasets[1].data");
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#ladder-table tbody tr"));
        assertEquals(6, rows.size());
        for (int i = 0; i < 6; i++) {
            JsonNode rung = truth.get(i);
            String id = rung.get("id").asText();
            assertEquals(rung.get("valLoss").asDouble(), ours.get(i).doubleValue(), 0, id + ": the bar");
            assertEquals(rung.get("lectureValLoss").asDouble(), lecture.get(i).doubleValue(), 0, id + ": the lecture's bar");
            WebElement row = rows.get(i);
            assertEquals(id, row.getDomAttribute("data-rung"));
            assertEquals(rung.get("label").asText(), cell(row, "label"));
            assertEquals(String.format(Locale.ROOT, "%,d", rung.get("parameters").asLong()), cell(row, "parameters"));
            assertEquals(String.format(Locale.ROOT, "%.3f", rung.get("valLoss").asDouble()), cell(row, "val"), id);
            assertEquals(String.format(Locale.ROOT, "%.3f", rung.get("trainLoss").asDouble()), cell(row, "train"), id);
        }
        // the caption is computed from those numbers
        String caption = browser.text("#ladder-caption");
        String expectedStart = String.format(Locale.ROOT, "After %d steps of 32 × 8 per rung, the held-out loss went from %.3f (%s) to %.3f (%s).",
                STEPS, truth.get(0).get("valLoss").asDouble(), truth.get(0).get("label").asText(),
                truth.get(5).get("valLoss").asDouble(), truth.get(5).get("label").asText());
        assertTrue(caption.startsWith(expectedStart), caption);
        assertTrue(caption.endsWith("The lecture, after 5,000 steps: 2.50 to 2.06."), caption);

        browser.driver.manage().window().setSize(new Dimension(390, 844));
        try {
            browser.waitUntil(d -> ((Number) browser.script("return window.innerWidth")).intValue() <= 400);
            // every part of the view within the screen; the table may scroll inside its own box (.table-wrap)
            browser.assertFitsAPhone("#ladder, #ladder > *, #ladder .controls *, #ladder canvas");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    private static String cell(WebElement row, String name) {
        return (String) browser.script("return arguments[0].textContent", row.findElement(By.cssSelector("[data-cell='" + name + "']")));
    }
}
