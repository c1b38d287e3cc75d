package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * Writing in the page: a model opened from disk writes character by character in the browser,
 * the next-character panel and the activation views fill, and the written text is exactly what
 * core's {@link Sampler} (behind the server's sample endpoint and {@code ./rnn sample}) writes
 * from the same model, prime, settings and seed, in both the WebAssembly and the JavaScript build.
 */
class GeneratePageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();
    static PageModels.OnDisk tiny;

    @BeforeAll
    static void start() throws IOException {
        // An untrained 2-layer LSTM is enough: the check is that both sides compute the same thing.
        tiny = PageModels.onDisk(browser.dir().resolve("tiny.safetensors"),
                new CharRnn(CellType.LSTM, Vocab.of("abcdefghijklmnopqrstuvwxyz ,.\n"), 24, 2).initialize(5));
    }

    /** Opens the page with settings in the hash and the tiny model from disk. */
    private void openWithModel(String query, String hash) {
        browser.open("/" + query + "#" + hash);
        browser.find("#model-file").sendKeys(tiny.file().toString());
        browser.waitUntil(d -> "file:tiny.safetensors".equals(browser.attribute("body", "data-model")));
    }

    @Test
    void typedSeedGrowsIntoTextAndTheViewsFill() {
        openWithModel("", "speed=60&length=40&seed=3");
        var prime = browser.find("#prime");
        prime.clear();
        prime.sendKeys("the cat");
        // the page itself records every length the written text passes through, so no poll has to
        // catch it half-written (at 60 characters a second that lasts 0.6 s, too short under load)
        browser.script("window.writtenLengths = []; const w = document.getElementById('output-written');"
                + "new MutationObserver(() => window.writtenLengths.push(w.textContent.length))"
                + ".observe(w, {childList: true, characterData: true, subtree: true})");
        prime.sendKeys(Keys.ENTER);
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        assertEquals(40, browser.text("#output-written").length());
        @SuppressWarnings("unchecked")
        List<Long> lengths = (List<Long>) browser.script("return window.writtenLengths");
        long early = lengths.stream().filter(n -> n > 0).findFirst().orElse(0L);
        assertTrue(early > 0 && early < 40, "text appears character by character; lengths seen: " + lengths);
        assertEquals("the cat", browser.text("#output-prime"));

        assertEquals(10, browser.driver.findElements(org.openqa.selenium.By.cssSelector("#nextchar-list li")).size());
        assertEquals("47", browser.attribute("#heatmap", "data-columns"), "7 prime + 40 written symbols");
        assertEquals("24", browser.attribute("#heatmap", "data-units"), "the top layer's 24 units");
        assertEquals("47", browser.attribute("#units-chart", "data-points"));
        assertEquals(47L, browser.script("return document.querySelectorAll('#unit-text span').length"));

        // clicking a row of the heatmap picks that unit for the coloured text
        var heatmap = browser.find("#heatmap");
        browser.script("arguments[0].scrollIntoView({block: 'center'})", heatmap);
        new Actions(browser.driver).moveToElement(heatmap, -heatmap.getSize().width / 2 + 10,
                -heatmap.getSize().height / 2 + 4 * 5 + 2).click().perform();
        assertFalse("0".equals(browser.text("#unit-label")), "a unit below the first was picked");
        // the units that vary most are offered as one-click choices
        browser.waitUntil(d -> browser.driver.findElements(org.openqa.selenium.By.cssSelector("#active-units button")).size() == 6);
        var chip = browser.find("#active-units button:nth-child(2)");
        String chipUnit = chip.getText();
        browser.script("arguments[0].click()", chip);
        assertEquals(chipUnit, browser.text("#unit-label"));

        // every layer at once, and the LSTM cell state instead of h
        new org.openqa.selenium.support.ui.Select(browser.find("#layer-select")).selectByValue("-2");
        assertEquals("48", browser.attribute("#heatmap", "data-units"), "2 layers x 24 units");
        new org.openqa.selenium.support.ui.Select(browser.find("#state-select")).selectByValue("c");
        assertEquals("47", browser.attribute("#heatmap", "data-columns"));
        String hash = (String) browser.script("return location.hash");
        assertTrue(hash.contains("layer=-2") && hash.contains("cellState=1"), hash);

        // hovering a character of the coloured text shows its state vector
        var third = browser.find("#unit-text span:nth-child(3)");
        browser.script("arguments[0].scrollIntoView({block: 'center'})", third);
        new Actions(browser.driver).moveToElement(third).perform();
        browser.waitUntil(d -> browser.text("#hover-stats").startsWith("symbol 3 of 47 · prime"));
        assertEquals("e", browser.text("#hover-symbol"));
        assertTrue(browser.text("#hover-stats").contains("|c|"), browser.text("#hover-stats"));
        // ...and the next-character panel looks back: what the model expected before that "e"
        assertEquals("What it expected before \u201ce\u201d (symbol 3), which it then read.", browser.text("#nextchar-caption"));
        assertEquals("e", browser.text("#nextchar-list li.chosen .symbol"));
        new Actions(browser.driver).moveToElement(browser.find("#prime")).perform();
        browser.waitUntil(d -> browser.text("#nextchar-caption").startsWith("What the model expects after"));
    }

    @Test
    void unknownSymbolsInTheSeedAreFlaggedNotFatal() {
        openWithModel("", "speed=0&length=20");
        var prime = browser.find("#prime");
        prime.clear();
        prime.sendKeys("h#llo W!");
        browser.waitUntil(d -> "!#W".equals(browser.attribute("#unknown", "data-symbols")));
        assertTrue(browser.find("#unknown").isDisplayed());
        // typed symbol by symbol (read incrementally), the prediction is that of the whole prime read at once
        browser.waitUntil(d -> browser.text("#output-prime").equals("h#llo W!"));
        String typed = browser.text("#nextchar-list");
        openWithModel("", "speed=0&length=20&prime=h%23llo%20W!");
        assertEquals(typed, browser.text("#nextchar-list"));
        assertEquals("!#W", browser.attribute("#unknown", "data-symbols"));
        browser.find("#generate-button").click();
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        assertEquals(20, browser.text("#output-written").length());

        // a seed the model knows nothing of: said plainly, and the model still writes
        openWithModel("", "speed=0&length=20&prime=%23!%23");
        assertEquals("None of the seed's symbols is in this model's alphabet (\"!\" \"#\"), so it writes as if from an empty seed.",
                browser.text("#unknown"));
        browser.find("#generate-button").click();
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        assertEquals(20, browser.text("#output-written").length());
    }

    @Test
    void settingsLiveInTheUrlHashAndAFileThatIsNoModelIsExplained() throws IOException {
        openWithModel("", "speed=0&length=10&temperature=0.5");
        var seed = browser.find("#seed");
        seed.clear();
        seed.sendKeys("42");
        String hash = (String) browser.script("return location.hash");
        assertTrue(hash.contains("seed=42") && hash.contains("temperature=0.5") && hash.contains("length=10"), hash);

        // the same link opens the same settings
        browser.open("/" + hash);
        assertEquals("42", browser.find("#seed").getDomProperty("value"));
        assertEquals("0.5", browser.find("#temperature").getDomProperty("value"));

        Path junk = Files.write(browser.dir().resolve("junk.safetensors"), new byte[] {9, 9, 9});
        browser.find("#model-file").sendKeys(junk.toString());
        browser.waitUntil(d -> browser.find("#message").isDisplayed());
        assertTrue(browser.text("#message").startsWith("junk.safetensors is not a model this page can read:"),
                browser.text("#message"));

        // another address in the same page (a link, a hash typed by hand), then Back and Forward:
        // each time the page is what a reload of the address shows
        browser.script("document.body.dataset.ready = 'before'; location.hash = 'speed=0&length=10&seed=7'");
        assertSeed("7");
        browser.script("document.body.dataset.ready = 'before'");
        browser.driver.navigate().back();
        assertSeed("42");
        browser.script("document.body.dataset.ready = 'before'");
        browser.driver.navigate().forward();
        assertSeed("7");
    }

    /** Waits for the page to have started again, then checks the seed field and the address agree. */
    private static void assertSeed(String seed) {
        browser.waitUntil(d -> "true".equals(browser.attribute("body", "data-ready")));
        assertEquals(seed, browser.find("#seed").getDomProperty("value"));
        assertTrue(((String) browser.script("return location.hash")).contains("seed=" + seed));
    }

    @Test
    void pageWritesWhatTheSamplerWritesWithWebAssembly() {
        assertSameAsSampler("", "wasm");
    }

    @Test
    void pageWritesWhatTheSamplerWritesWithJavaScript() {
        assertSameAsSampler("?engine=js", "js");
    }

    private void assertSameAsSampler(String query, String engine) {
        String prime = "once upon a time";
        openWithModel(query, "speed=0&length=300&seed=1234&prime=" + prime.replace(" ", "%20"));
        assertEquals(engine, browser.attribute("body", "data-engine"));
        // temperature, top-k: set with the page's controls (a link's settings: the test above)
        for (double[] settings : new double[][] {{0, 0}, {0.9, 5}, {1.3, 0}}) {
            browser.script("var t = document.getElementById('temperature'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));"
                    + "var k = document.getElementById('top-k'); k.value = arguments[1]; k.dispatchEvent(new Event('input'));",
                    settings[0], (int) settings[1]);
            browser.script("document.getElementById('output').dataset.state = 'asked'");
            browser.find("#generate-button").click();
            browser.waitUntil(Duration.ofSeconds(20), d -> "done".equals(browser.attribute("#output", "data-state")));
            String expected = Sampler.sample(tiny.model(), new SampleConfig(prime, 300, settings[0], (int) settings[1], 1234L)).text();
            assertEquals(expected, browser.text("#output-written"), engine + " temperature " + settings[0] + ", top-k " + settings[1]);
        }
    }
}
