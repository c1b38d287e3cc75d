package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The whole page on a phone, 390 × 844 CSS pixels (B7): no sideways scrolling, every control within
 * reach (the Models table's buttons too), and the written text beginning on the first screen.
 */
class PhonePageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass();

    @BeforeAll
    static void start() throws Exception {
        browser.driver.manage().window().setSize(new Dimension(390, 844));
    }

    @Test
    void thePageFitsAPhone() {
        browser.open("/#speed=0&length=300");
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        long inner = (Long) browser.script("return window.innerWidth");
        assertTrue(inner <= 400, "the window is phone-sized: " + inner);
        long width = (Long) browser.script("return document.documentElement.scrollWidth");
        assertTrue(width <= inner, "the page is " + width + " px wide in a " + inner + " px window; too wide: " + browser.script(
                "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"));
        // every button, field and picker lies within the screen's width (a wide one scrolls inside its own box)
        @SuppressWarnings("unchecked")
        List<WebElement> outside = (List<WebElement>) browser.script(
                "return [...document.querySelectorAll('button, input, select, textarea, a.button, label.button')]"
                + ".filter(e => { if (e.closest('.table-wrap, .heatmap-wrap, [hidden]')) return false;"
                + " const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > window.innerWidth); })");
        assertTrue(outside.isEmpty(), "controls cut off: " + outside.stream().map(e -> e.getDomAttribute("id") + "/" + e.getTagName()).toList());
        // the Models table's buttons too, though the table may scroll inside its box
        @SuppressWarnings("unchecked")
        List<String> modelButtons = (List<String>) browser.script(
                "return [...document.querySelectorAll('#models-table button, #models-table a.button')]"
                + ".filter(e => { const r = e.getBoundingClientRect(), box = e.closest('.table-wrap').getBoundingClientRect();"
                + " return r.right > Math.min(box.right, window.innerWidth) + 1 || r.left < box.left - 1; }).map(e => e.textContent)");
        assertTrue(modelButtons.isEmpty(), "Models buttons cut off: " + modelButtons);
        // what the model writes starts on the first screen, above the settings under it
        Number outputTop = (Number) browser.script("window.scrollTo(0, 0); return document.getElementById('output').getBoundingClientRect().top");
        Number screen = (Number) browser.script("return window.innerHeight");
        assertTrue(outputTop.doubleValue() < screen.doubleValue() - 120, "the output starts at " + outputTop + " of " + screen);
    }
}
