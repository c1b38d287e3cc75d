package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A newcomer's first minute on a fresh server with the shipped models: typing a seed and pressing
 * Generate at once writes (B0); the shipped LSTM stays the model in use even when newer models
 * exist (B1); "Compare with" picks a model over the same alphabet (B2); deleting the model in use
 * falls back to the default (B4); no request fails (the favicon); Generate pressed while the model
 * loads writes once it is in; with the server gone the picker stays with the model in use, and the
 * error goes once the server is back.
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
        // the page greets with text of its own (here at 20 characters a second, so that the
        // greeting is still running when a loaded machine gets to look: 400 take 20 s, not 6.7);
        // a newcomer types over it and presses Generate at once
        browser.open("/#speed=20");
        browser.waitUntil(d -> "running".equals(browser.attribute("#output", "data-state")));
        // typed, and Generate pressed before the page has even previewed the new seed (120 ms): in
        // one script, so that every run takes this path (no need to try it more than once)
        browser.script("var p = document.getElementById('prime'); p.value = 'ROMEO:';"
                + "p.dispatchEvent(new Event('input')); document.getElementById('generate-button').click()");
        browser.waitUntil(Duration.ofSeconds(10), d -> browser.text("#output-prime").equals("ROMEO:")
                && browser.text("#output-written").length() >= 5);
    }

    @Test
    @Order(2)
    void theShippedModelStaysTheDefaultWhenNewerOnesExist() {
        CharRnn newer = new CharRnn(CellType.GRU, Vocab.of("abcdefghijklmn"), 8, 1).initialize(2);
        api.importModel("newer gru", ModelFile.write(newer, DType.F32));
        browser.open("/#" + BrowserSession.QUIET);
        assertEquals(defaultModelId(), browser.attribute("body", "data-model"));
        // a link may still name any model
        String newest = api.get("/api/models").get(0).get("id").asText();
        browser.open("/#" + BrowserSession.QUIET + "&model=" + newest);
        assertEquals(newest, browser.attribute("body", "data-model"));
    }

    @Test
    @Order(3)
    void compareWithPicksAModelOverTheSameAlphabet() {
        // the newer GRU of the test before reads another alphabet; the shipped RNN reads Shakespeare's
        browser.open("/#" + BrowserSession.QUIET);
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
        browser.open("/#" + BrowserSession.QUIET + "&model=" + id);
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
    @Order(6)
    void generatePressedWhileTheModelLoadsWritesOnceItIsIn() {
        // the page's requests for weights wait until the test lets them through
        String hold = "const realFetch = window.fetch; const held = new Promise((r) => { window.releaseWeights = r; });"
                + "window.fetch = (url, ...rest) => String(url).includes('/weights') ? held.then(() => realFetch(url, ...rest))"
                + " : realFetch(url, ...rest);";
        Object script = browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", hold)).get("identifier");
        try {
            browser.openWithoutWaiting("/#speed=0&length=20");
            browser.waitUntil(d -> browser.text("#model-info").startsWith("Loading"));
            assertEquals("Loading \u201cTiny Shakespeare (LSTM)\u201d\u2026", browser.text("#model-info"));
            assertEquals(defaultModelId(), browser.find("#model-select").getDomProperty("value"), "the picker names what is loading");
            browser.find("#generate-button").click();
            assertEquals("The model is still loading: it starts writing as soon as it is ready.", browser.text("#message"));
            assertEquals("info", browser.attribute("#message", "data-kind"));
            browser.script("window.releaseWeights()");
            browser.waitUntil(Duration.ofSeconds(20), d -> "done".equals(browser.attribute("#output", "data-state")));
            assertEquals(20, browser.text("#output-written").length());
            assertTrue(!browser.find("#message").isDisplayed(), browser.text("#message"));
        } finally {
            browser.driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", script));
        }
    }

    @Test
    @Order(7)
    void withTheServerGoneThePickerStaysWithTheModelInUseAndARestartClearsTheError() throws Exception {
        browser.open("/#" + BrowserSession.QUIET);
        String inUse = defaultModelId(), other = null;
        for (var m : api.get("/api/models")) if (m.get("cell").asText().equals("rnn")) other = m.get("id").asText();
        String modelLine = browser.text("#model-info");
        int port = browser.app.port();
        browser.app.stop();

        new Select(browser.find("#model-select")).selectByValue(other);
        browser.waitUntil(d -> browser.find("#message").isDisplayed());
        assertEquals("Could not load that model: The server cannot be reached. Is `rnn serve` still running?", browser.text("#message"));
        assertEquals(inUse, browser.find("#model-select").getDomProperty("value"), "the picker names the model still writing");
        assertEquals(inUse, browser.attribute("body", "data-model"));
        assertEquals(modelLine, browser.text("#model-info"));

        // the same server again, on the same address: the page notices, and the stale error goes
        ServerConfig config = ServerConfig.defaults(browser.dir().resolve("data")).withToken(browser.token).withPort(port);
        browser.app = RnnServer.create(config, Services.open(config)).start("127.0.0.1", port);
        browser.waitUntil(Duration.ofSeconds(10), d -> !browser.find("#message").isDisplayed());
        new Select(browser.find("#model-select")).selectByValue(other);
        String chosen = other;
        browser.waitUntil(d -> chosen.equals(browser.attribute("body", "data-model")));
        assertTrue(browser.text("#model-info").startsWith("RNN · "), browser.text("#model-info"));
    }

    @Test
    @Order(5)
    void theFaviconIsServed() {
        browser.open("/#" + BrowserSession.QUIET);
        String href = (String) browser.script("var l = document.querySelector('link[rel=icon]'); return l ? l.href : null");
        assertTrue(href != null, "the page names its icon");
        Object ok = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => done(r.status), e => done(0));", href);
        assertEquals(200L, ok);
    }
}
