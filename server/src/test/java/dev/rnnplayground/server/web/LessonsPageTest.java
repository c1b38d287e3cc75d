package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Learn menu: every lesson's link reloads the page into its view with its settings. The
 * attention lessons are followed in AttentionStepPageTest, which boots that view anyway.
 */
class LessonsPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();

    /** lesson -> the view it opens, and a control (css selector -> value) its link sets. */
    private static final Map<String, String[]> EXPECTED = Map.of(
            "rnn", new String[] {"activations", "#layer-select", "-1"},
            "training", new String[] {"train", null, null},
            "generate", new String[] {"generate", "#prime", "ROMEO:"},
            "bptt", new String[] {"gradcheck", "#gc-truncate", "1"},
            "bpttSteps", new String[] {"bptt", "#bptt-cell", "lstm"},
            "vanishing", new String[] {"reach", null, null},
            "clipping", new String[] {"race", "#race-preset", "clipping"},
            "gates", new String[] {"race", "#race-preset", "cells"});

    @Test
    void everyLessonLinkRestoresItsView() {
        browser.open("/");
        List<String> lessons = lessonIds();
        assertEquals(12, lessons.size(), "one lesson per question");
        assertTrue(lessons.containsAll(EXPECTED.keySet()), lessons.toString());
        assertTrue(lessons.containsAll(AttentionStepPageTest.LESSONS.keySet()), lessons.toString());
        for (String lesson : EXPECTED.keySet()) {
            browser.open("/#speed=0&length=5");
            browser.find("#learn summary").click();
            WebElement link = browser.find("#lessons a[data-lesson='" + lesson + "']");
            assertTrue(link.isDisplayed());
            browser.script("document.body.dataset.ready = 'reloading'");
            link.click();
            browser.waitUntil(Duration.ofSeconds(20), d -> "true".equals(browser.attribute("body", "data-ready")));
            String[] expected = EXPECTED.get(lesson);
            assertEquals(expected[0], browser.attribute("body", "data-view"), lesson);
            if (expected[1] != null) {
                assertEquals(expected[2], browser.script("return document.querySelector(arguments[0]).value", expected[1]), lesson);
            }
            Number top = (Number) browser.script("return document.getElementById(arguments[0] + '-title').closest('section')"
                    + ".getBoundingClientRect().top", expected[0]);
            // at the top of the 1000-pixel window, or in its upper half when the page ends below it
            assertTrue(top.doubleValue() > -5 && top.doubleValue() < 500, lesson + ": the section is in view, at " + top);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> lessonIds() {
        return browser.driver.findElements(By.cssSelector("#lessons a")).stream().map(a -> a.getDomAttribute("data-lesson")).toList();
    }
}
