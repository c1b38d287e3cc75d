package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

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
        browser.open("/#" + BrowserSession.QUIET);
        List<String> lessons = lessonIds();
        assertEquals(12, lessons.size(), "one lesson per question");
        assertEquals("Learn: 12 questions, each with a view to try it in", browser.find("#learn summary").getText());
        assertTrue(lessons.containsAll(EXPECTED.keySet()), lessons.toString());
        assertTrue(lessons.containsAll(AttentionStepPageTest.LESSONS.keySet()), lessons.toString());
        // the lessons on gates and on the bottleneck also link the memory-span view, which measures their claim
        List<String> measured = browser.driver.findElements(By.cssSelector("#lessons a[data-also]")).stream()
                .map(a -> a.getDomAttribute("href")).toList();
        assertEquals(List.of("#view=memspan", "#view=memspan"), measured);
        // each link is followed from the page the previous one opened: one page load per lesson
        for (String lesson : EXPECTED.keySet()) {
            browser.followLesson(lesson);
            String[] expected = EXPECTED.get(lesson);
            assertEquals(expected[0], browser.attribute("body", "data-view"), lesson);
            if (expected[1] != null) {
                assertEquals(expected[2], browser.script("return document.querySelector(arguments[0]).value", expected[1]), lesson);
            }
            // the lesson about the vanilla RNN shows the shipped vanilla RNN, not whatever model was in use
            if (lesson.equals("rnn")) assertEquals(shippedModelOf("rnn"), browser.attribute("body", "data-model"));
            Number top = (Number) browser.script("return document.getElementById(arguments[0] + '-title').closest('section')"
                    + ".getBoundingClientRect().top", expected[0]);
            // at the top of the 1000-pixel window, or in its upper half when the page ends below it
            assertTrue(top.doubleValue() > -5 && top.doubleValue() < 500, lesson + ": the section is in view, at " + top);
        }
    }

    private static String shippedModelOf(String cell) {
        for (var m : new PageApi(browser).get("/api/models")) {
            if (m.get("cell").asText().equals(cell) && m.get("source").asText().equals("default")) return m.get("id").asText();
        }
        throw new AssertionError("no shipped " + cell);
    }

    @SuppressWarnings("unchecked")
    private static List<String> lessonIds() {
        return browser.driver.findElements(By.cssSelector("#lessons a[data-lesson]")).stream().map(a -> a.getDomAttribute("data-lesson")).toList();
    }
}
