package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.lab.GradientCheck;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.server.common.Jackson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/**
 * "Check the gradients, in your browser": core's GradientCheck compiled by TeaVM runs in the page
 * (both builds), passes for every cell, and fails with a large error when BPTT is cut to one step.
 */
class GradientCheckPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();

    @Test
    void passesForEveryCellAndFailsWhenCutToOneStepInBothBuilds() throws Exception {
        for (String query : List.of("/", "/?engine=js")) {
            browser.open(query + "#" + BrowserSession.QUIET + "&gcLayers=2");
            String engine = browser.attribute("body", "data-engine");
            assertEquals(query.contains("js") ? "js" : "wasm", engine);
            for (CellType cell : CellType.RECURRENT) {
                // the learner's way: pick the cell, set the cut back to the whole window
                new Select(browser.find("#gc-cell")).selectByValue(cell.id());
                setTruncate(0);
                run();
                assertEquals("true", browser.attribute("#gc-summary", "data-passed"), browser.text("#gc-summary"));
                assertTrue(browser.text("#gc-summary").startsWith("All "), browser.text("#gc-summary"));
                assertEquals(8 + 2, browser.driver.findElements(org.openqa.selenium.By.cssSelector("#gc-table tbody tr")).size(),
                        "4 tensors per layer and the decoder's 2");
                assertEquals(0, browser.driver.findElements(org.openqa.selenium.By.cssSelector("#gc-table tr.wrong")).size());

                // cut to one step: the page's errors are core's errors (same code, float rounding aside)
                setTruncate(1);
                assertTrue(((String) browser.script("return location.hash")).contains("gcTruncate=1"));
                run();
                assertEquals("false", browser.attribute("#gc-summary", "data-passed"));
                assertTrue(browser.text("#gc-summary").startsWith("With BPTT cut after 1 of the window's 5 steps, "),
                        browser.text("#gc-summary"));
                JsonNode sweep = Jackson.MAPPER.readTree(browser.attribute("#gc-sweep", "data-errors"));
                for (int k = 1; k <= 5; k++) {
                    double expected = GradientCheck.run(cell, 2, 42, k).worstTensorError();
                    double inPage = sweep.get(k - 1).asDouble();
                    if (k < 5) assertEquals(expected, inPage, 1e-6 * expected, cell + " " + engine + " k=" + k);
                    else assertTrue(inPage < 1e-6, "the whole window passes: " + inPage);
                }
                assertTrue(sweep.get(0).asDouble() > 1e-2, "one step misses much: " + sweep.get(0));
            }
        }
    }

    @Test
    void theLinkRestoresTheSettings() {
        browser.open("/#" + BrowserSession.QUIET + "&gcCell=gru&gcLayers=2&gcTruncate=3");
        assertEquals("gru", new Select(browser.find("#gc-cell")).getFirstSelectedOption().getDomAttribute("value"));
        assertEquals("2", new Select(browser.find("#gc-layers")).getFirstSelectedOption().getDomAttribute("value"));
        assertEquals("3 steps", browser.text("#gc-truncate-value"));
    }

    private static void setTruncate(int steps) {
        browser.script("const r = document.getElementById('gc-truncate'); r.value = arguments[0];"
                + " r.dispatchEvent(new Event('input'))", steps);
    }

    private static void run() {
        browser.script("document.getElementById('gc-table').dataset.state = 'running'");
        browser.find("#gc-run").click();
        browser.waitUntil(d -> "done".equals(browser.attribute("#gc-table", "data-state")));
    }
}
