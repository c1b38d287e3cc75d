package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A newcomer's first minute on a fresh server with the shipped models: typing a seed and pressing
 * Generate at once writes (B0); the shipped LSTM stays the model in use even when newer models
 * exist (B1); "Compare with" picks a model over the same alphabet (B2); deleting the model in use
 * falls back to the default (B4); no request fails (the favicon).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstMinutePageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass();
    static final PageApi api = new PageApi(browser);

    private static String defaultModelId() {
        for (var m : api.get("/api/models")) if (m.get("name").asText().equals("Tiny Shakespeare (LSTM)")) return m.get("id").asText();
        throw new AssertionError("the shipped LSTM is not listed");
    }

    @Test
    @Order(1)
    void aSeedTypedAndGeneratedAsSoonAsThePageHasLoadedIsWritten() {
        for (int attempt = 0; attempt < 3; attempt++) {
            // the page greets with text of its own (here at 20 characters a second, so that the
            // greeting is still running when a loaded machine gets to look: 400 take 20 s, not 6.7);
            // a newcomer types over it and presses Generate at once
            browser.open("/#speed=20");
            browser.waitUntil(d -> "running".equals(browser.attribute("#output", "data-state")));
            // typed, and Generate pressed before the page has even previewed the new seed (120 ms)
            browser.script("var p = document.getElementById('prime'); p.value = 'ROMEO:';"
                    + "p.dispatchEvent(new Event('input')); document.getElementById('generate-button').click()");
            browser.waitUntil(Duration.ofSeconds(10), d -> browser.text("#output-prime").equals("ROMEO:")
                    && browser.text("#output-written").length() >= 5);
        }
    }

    @Test
    @Order(2)
    void theShippedModelStaysTheDefaultWhenNewerOnesExist() {
        CharRnn newer = new CharRnn(CellType.GRU, Vocab.of("abcdefghijklmn"), 8, 1).initialize(2);
        api.importModel("newer gru", ModelFile.write(newer, DType.F32));
        browser.open("/");
        assertEquals(defaultModelId(), browser.attribute("body", "data-model"));
        // a link may still name any model
        String newest = api.get("/api/models").get(0).get("id").asText();
        browser.open("/#model=" + newest);
        assertEquals(newest, browser.attribute("body", "data-model"));
    }

    @Test
    @Order(3)
    void compareWithPicksAModelOverTheSameAlphabet() {
        // the newer GRU of the test before reads another alphabet; the shipped RNN reads Shakespeare's
        browser.open("/");
        String rnn = null;
        for (var m : api.get("/api/models")) if (m.get("cell").asText().equals("rnn")) rnn = m.get("id").asText();
        String expected = rnn;
        browser.waitUntil(d -> expected.equals(browser.find("#compare-select").getDomProperty("value")));
    }

    @Test
    @Order(4)
    void deletingTheModelInUseFallsBackToTheDefault() throws Exception {
        CharRnn small = new CharRnn(CellType.RNN, Vocab.of("xyz "), 8, 1).initialize(3);
        String id = api.importModel("doomed", ModelFile.write(small, DType.F32));
        browser.open("/#model=" + id);
        assertEquals(id, browser.attribute("body", "data-model"));
        WebElement row = browser.find("#models-table tr[data-id='" + id + "']");
        row.findElement(By.xpath(".//button[text()='Delete']")).click();
        browser.driver.switchTo().alert().accept();
        String fallback = defaultModelId();
        browser.waitUntil(d -> fallback.equals(browser.attribute("body", "data-model")));
        assertEquals(fallback, browser.find("#model-select").getDomProperty("value"));
        assertTrue(browser.text("#model-info").startsWith("LSTM · 384 hidden units × 2 layers"), browser.text("#model-info"));
        // "Gradients through time", out of sight, has measured nothing yet; brought into view, it
        // measures the model now in use, not the deleted one
        assertEquals("idle", browser.attribute("#gradients-chart", "data-state"));
        browser.script("arguments[0].scrollIntoView()", browser.find("#gradients-chart"));
        browser.waitUntil(Duration.ofSeconds(30), d -> "done".equals(browser.attribute("#gradients-chart", "data-state")));
        assertTrue(browser.find("#gradients-error").getDomProperty("hidden").equals("true"), browser.text("#gradients-error"));
    }

    @Test
    @Order(5)
    void theFaviconIsServed() {
        browser.open("/");
        String href = (String) browser.script("var l = document.querySelector('link[rel=icon]'); return l ? l.href : null");
        assertTrue(href != null, "the page names its icon");
        Object ok = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => done(r.status), e => done(0));", href);
        assertEquals(200L, ok);
    }
}
