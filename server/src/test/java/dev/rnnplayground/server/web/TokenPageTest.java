package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.http.AccessGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** A server with an access token, as {@code rnn serve} starts by default; each test starts its own on a fresh data directory. */
class TokenPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.serverPerTest();

    @TempDir
    Path data;

    @Test
    void theTokenAddressLetsThePageInAndLeavesTheAddressBar() {
        browser.serve(ServerConfig.defaults(data).withToken(AccessGuard.newToken()));
        browser.open("/#speed=0&length=20");
        String address = browser.driver.getCurrentUrl();
        assertFalse(address.contains("token"), address);
        assertTrue(address.endsWith("/#speed=0&length=20") || address.contains("speed=0"), address);
        browser.waitUntil(d -> browser.driver.findElements(By.cssSelector("#models-table tr[data-id]")).size() == 5);

        browser.script("document.querySelector('.train details').open = true");
        browser.find("#corpus-text").sendKeys("to be or not to be");
        browser.find("#paste-button").click();
        browser.waitUntil(d -> browser.attribute("#corpus-info", "data-corpus-id") != null);
        assertEquals("", browser.text("#train-error"));

        // a reload keeps the token for this tab, without it in the address
        browser.openWithoutToken("/#" + BrowserSession.QUIET);
        browser.waitUntil(d -> browser.driver.findElements(By.cssSelector("#corpus-select option")).size() == 2);
    }

    @Test
    void aFreshBrowserGivenTheBareAddressIsAskedOnce() {
        browser.serve(ServerConfig.defaults(data).withToken("s3cret"));
        browser.driver.get(browser.base + "/#" + BrowserSession.QUIET);
        Alert prompt = browser.waitUntil(Duration.ofSeconds(20), ExpectedConditions.alertIsPresent());
        assertTrue(prompt.getText().contains("access token"), prompt.getText());
        prompt.sendKeys("s3cret");
        prompt.accept();
        browser.waitUntil(Duration.ofSeconds(20), d -> "true".equals(browser.attribute("body", "data-ready")));
        browser.waitUntil(d -> browser.driver.findElements(By.cssSelector("#models-table tr[data-id]")).size() == 5);

        browser.script("document.querySelector('.train details').open = true");
        browser.find("#corpus-text").sendKeys("to be or not to be");
        browser.find("#paste-button").click();
        browser.waitUntil(d -> browser.attribute("#corpus-info", "data-corpus-id") != null);
        assertTrue(browser.text("#corpus-info").startsWith("pasted text:"), browser.text("#corpus-info"));
        assertEquals("", browser.text("#train-error"));
    }

    /** "Gradients through time" on a fresh server: it measures the shipped models once in view, never asking for the token. */
    @Test
    void aServerWithATokenMeasuresGradientsWithoutAskingWhenOpenedFromItsTokenAddress() {
        browser.serve(ServerConfig.defaults(data).withToken("s3cret"));
        browser.open("/#speed=0&length=20&view=gradients");
        browser.waitUntil(d -> "done".equals(browser.attribute("#gradients-chart", "data-state")));
        assertEquals("3", browser.attribute("#gradients-chart", "data-datasets"),
                "the default LSTM's two layers, and the shipped vanilla RNN beside them without being asked");
        assertEquals(List.of("Tiny Shakespeare (LSTM) · LSTM 384 × 2 · layer 2 (top)",
                        "Tiny Shakespeare (LSTM) · LSTM 384 × 2 · layer 1", "Tiny Shakespeare (vanilla RNN) · RNN 128"),
                browser.script("return Chart.getChart(document.getElementById('gradients-chart')).data.datasets"
                        + ".map(d => d.label)"));
        assertFalse(browser.find("#gradients-error").isDisplayed());
    }
}
