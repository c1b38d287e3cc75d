package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** A server started with an access token: the page asks for it once, then changes go through. */
class TokenPageTest {

    @TempDir
    Path data;

    @Test
    void thePageAsksForTheTokenOnceAndKeepsIt() {
        try (BrowserSession browser = new BrowserSession(ServerConfig.defaults(data).withToken("s3cret"))) {
            browser.open("/");
            browser.script("document.querySelector('.train details').open = true");   // the paste box, not the Learn menu
            browser.find("#corpus-text").sendKeys("to be or not to be");
            browser.find("#paste-button").click();
            Alert prompt = browser.waitUntil(ExpectedConditions.alertIsPresent());
            assertTrue(prompt.getText().contains("access token"), prompt.getText());
            prompt.sendKeys("s3cret");
            prompt.accept();
            browser.waitUntil(d -> browser.attribute("#corpus-info", "data-corpus-id") != null);
            assertTrue(browser.text("#corpus-info").startsWith("pasted text:"), browser.text("#corpus-info"));

            // the second change in the same tab does not ask again
            browser.find("#paste-button").click();
            browser.waitUntil(d -> browser.driver.findElements(By.cssSelector("#corpus-select option")).size() == 3);
            assertEquals("", browser.text("#train-error"));
        }
    }
}
