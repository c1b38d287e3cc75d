package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.gpt.AttentionSteps;
import dev.rnnplayground.server.common.Jackson;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * "Self-attention, step by step": core's AttentionSteps compiled by TeaVM runs in the page (both
 * builds, one boot each). Step, Run all and Reset show the numbers core computes on the JVM for
 * the same text, position, head and seed, every one of them; a position is picked by keyboard; a
 * text it cannot read is said; the
 * four attention lessons restore what they promise (followed here, not in LessonsPageTest); the
 * scale table gives the shipped GPT's size as the server lists it; the view fits a phone.
 */
class AttentionStepPageTest {

    private static final String TEXT = "hello world";   // the page's default
    private static final long SEED = 1;                 // the page's seed
    private static final double TOLERANCE = 1e-9;       // the browser's Math.exp and sqrt may differ in the last bits
    private static final int STAGES = 9;

    /** lesson -> {view, head, stages shown} its link sets (the text and position stay the defaults). */
    static final Map<String, int[]> LESSONS = Map.of(
            "bottleneck", new int[] {0, 7}, "attnSteps", new int[] {1, 1}, "stack", new int[] {0, 9}, "scale", new int[] {0, 0});
    private static final Map<String, String> LESSON_VIEWS = Map.of(
            "bottleneck", "attnstep", "attnSteps", "attnstep", "stack", "attnstep", "scale", "attnscale");

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();

    @Test
    void everyStageShowsCoresNumbersInBothBuildsAndTheLessonsRestoreTheView() throws Exception {
        for (String query : List.of("/", "/?engine=js")) {
            browser.open(query + "#" + BrowserSession.QUIET + "&attnPosition=7&attnHead=1");
            assertEquals(query.contains("js") ? "js" : "wasm", browser.attribute("body", "data-engine"));
            assertEquals("0", browser.attribute("#attnstep", "data-steps"));
            assertEquals(11, browser.driver.findElements(By.cssSelector("#attnstep-window button")).size());
            assertEquals("7", browser.attribute("#attnstep-window .current", "data-j"));
            assertEquals(3, browser.driver.findElements(By.cssSelector("#attnstep-window .later")).size());
            assertTrue(browser.text("#attnstep-summary").startsWith("Position 7 reads “o” and may attend to the 8 characters"),
                    browser.text("#attnstep-summary"));

            AttentionSteps core = AttentionSteps.tinyModel(TEXT, SEED, 7, 1);
            step(1);
            assertShows(core, 1);
            browser.find("#attnstep-all").click();
            browser.waitUntil(d -> String.valueOf(STAGES).equals(browser.attribute("#attnstep", "data-steps")));
            assertShows(core, STAGES);
            assertEquals("true", browser.find("#attnstep-step").getDomProperty("disabled"));
            assertTrue(browser.text("#attnstep-summary").contains("what one whole forward pass computes for position 7"),
                    browser.text("#attnstep-summary"));
            assertEquals(3, browser.driver.findElements(By.cssSelector("[data-stage=softmax] .attn-char.masked")).size(),
                    "the weights of the characters after position 7 are greyed");

            browser.find("#attnstep-reset").click();
            browser.waitUntil(d -> "0".equals(browser.attribute("#attnstep", "data-steps")));
            assertEquals(0, browser.driver.findElements(By.cssSelector("#attnstep-stages li")).size());
            // by keyboard: a position, then Step
            browser.find("#attnstep-window button[data-j='3']").sendKeys(Keys.ENTER);
            browser.waitUntil(d -> "3".equals(browser.attribute("#attnstep", "data-position")));
            browser.find("#attnstep-step").sendKeys(Keys.SPACE);
            browser.waitUntil(d -> "1".equals(browser.attribute("#attnstep", "data-steps")));
            assertTrue(((String) browser.script("return location.hash")).contains("attnPosition=3"));
            browser.find("#attnstep-all").click();
            browser.waitUntil(d -> String.valueOf(STAGES).equals(browser.attribute("#attnstep", "data-steps")));
            assertShows(AttentionSteps.tinyModel(TEXT, SEED, 3, 1), STAGES);
            if (!query.contains("js")) aTextItCannotUseIsSaid();
        }
        // the JavaScript build's page is open: follow each attention lesson from it (each a reload)
        for (String lesson : List.of("bottleneck", "attnSteps", "scale", "stack")) {
            if (lesson.equals("stack")) browser.driver.manage().window().setSize(new Dimension(390, 844));
            try {
                followLesson(lesson);
                if (lesson.equals("scale")) assertTheScaleTable();
                if (lesson.equals("stack")) browser.assertFitsAPhone("#attnstep *");
            } finally {
                browser.driver.manage().window().setSize(new Dimension(1400, 1000));
            }
        }
    }

    /** A text it cannot read is said and Step is off; a shorter text moves the position to its last character. */
    private static void aTextItCannotUseIsSaid() {
        browser.find("#attnstep-text").clear();
        browser.find("#attnstep-text").sendKeys("a".repeat(17));
        browser.waitUntil(d -> browser.text("#attnstep-error").contains("the text must have 1 to 16 symbols, got 17"));
        assertEquals("true", browser.find("#attnstep-step").getDomProperty("disabled"));
        browser.find("#attnstep-text").clear();
        browser.find("#attnstep-text").sendKeys("abc");
        browser.waitUntil(d -> "2".equals(browser.attribute("#attnstep", "data-position")));   // 3 is past the end: the last
        assertTrue(browser.find("#attnstep-error").getDomAttribute("hidden") != null, browser.text("#attnstep-error"));
        assertEquals("0", browser.attribute("#attnstep", "data-steps"));
        assertEquals("false", browser.find("#attnstep-step").getDomProperty("disabled"));
    }

    private static void followLesson(String lesson) throws Exception {
        browser.followLesson(lesson);
        assertEquals("js", browser.attribute("body", "data-engine"), lesson + ": the reload keeps the build");
        assertEquals(LESSON_VIEWS.get(lesson), browser.attribute("body", "data-view"), lesson);
        int head = LESSONS.get(lesson)[0], shown = LESSONS.get(lesson)[1];
        assertEquals(String.valueOf(head), new Select(browser.find("#attnstep-head")).getFirstSelectedOption().getDomAttribute("value"), lesson);
        assertEquals(String.valueOf(shown), browser.attribute("#attnstep", "data-steps"), lesson);
        assertShows(AttentionSteps.tinyModel(TEXT, SEED, 10, head), shown);
        Number top = (Number) browser.script("return document.getElementById(arguments[0] + '-title').closest('section')"
                + ".getBoundingClientRect().top", LESSON_VIEWS.get(lesson));
        assertTrue(top.doubleValue() > -5 && top.doubleValue() < 500, lesson + ": the section is in view, at " + top);
    }

    /** The table's middle column is the shipped GPT as the server lists it; the first is the step-through's model. */
    private static void assertTheScaleTable() {
        JsonNode gpt = null;
        for (JsonNode m : new PageApi(browser).get("/api/models")) {
            if (m.get("cell").asText().equals("gpt") && m.get("source").asText().equals("default")) gpt = m;
        }
        assertTrue(gpt != null, "the server ships a gpt");
        JsonNode shape = gpt.get("shape");
        AttentionSteps tiny = AttentionSteps.tinyModel(TEXT, SEED, 10, 0);
        assertEquals(List.of(
                List.of("parameters", String.format(Locale.ROOT, "%,d", tiny.model().parameterCount()), String.format(Locale.ROOT, "%,d", gpt.get("parameterCount").asLong()), "124,439,808"),
                List.of("layers × heads × width", "1 × 2 × 8",
                        shape.get("n_layer").asText() + " × " + shape.get("n_head").asText() + " × " + shape.get("n_embd").asText(), "12 × 12 × 768"),
                List.of("context", "16 characters", shape.get("block_size").asText() + " characters", "1,024 subword tokens"),
                List.of("vocabulary", "8 characters", gpt.get("vocabSize").asInt() + " characters", "50,257 subwords")),
                browser.script("return [...document.querySelectorAll('#attnstep-scale tr')].map(r => [...r.cells].map(c => c.textContent))"));
        assertTrue(browser.text("#attnstep-ratio").startsWith("GPT-2 small has 153 times the parameters of our GPT and reads 8 times"),
                browser.text("#attnstep-ratio"));
    }

    private static void step(int expected) {
        browser.find("#attnstep-step").click();
        browser.waitUntil(d -> String.valueOf(expected).equals(browser.attribute("#attnstep", "data-steps")));
    }

    /**
     * The first {@code shown} stages are on the page, in core's order, each tensor with core's
     * values (a masked score, minus infinity, as null and "−∞") and each number printed being that
     * value rounded.
     */
    private static void assertShows(AttentionSteps core, int shown) throws Exception {
        // one call reads the whole view (a call per tensor would be hundreds of round trips)
        JsonNode page = Jackson.MAPPER.readTree((String) browser.script("return JSON.stringify("
                + "[...document.querySelectorAll('#attnstep-stages > li')].map(li => ({stage: li.dataset.stage, tensors:"
                + " Object.fromEntries([...li.querySelectorAll('[data-tensor]')].map(t => [t.dataset.tensor,"
                + " {values: JSON.parse(t.dataset.values), printed: [...t.querySelectorAll('.num')].map(n => n.textContent)}]))})))"));
        assertEquals(shown, page.size(), "stages shown");
        for (int s = 0; s < shown; s++) {
            AttentionSteps.Stage stage = core.stages().get(s);
            assertEquals(stage.id(), page.get(s).get("stage").asText());
            assertEquals(stage.tensors().size(), page.get(s).get("tensors").size(), stage.id());
            for (AttentionSteps.Tensor tensor : stage.tensors()) {
                String what = "position " + core.position() + ", head " + core.head() + ", " + stage.id() + "/" + tensor.name();
                JsonNode inPage = page.get(s).get("tensors").get(tensor.name()).get("values");
                JsonNode printed = page.get(s).get("tensors").get(tensor.name()).get("printed");
                double[] expected = tensor.values();
                assertEquals(expected.length, inPage.size(), what);
                assertEquals(expected.length, printed.size(), what + ": numbers printed");
                for (int i = 0; i < expected.length; i++) {
                    double v = expected[i];
                    String text = printed.get(i).asText();
                    if (Double.isInfinite(v)) {
                        assertTrue(inPage.get(i).isNull(), what + " [" + i + "] is masked");
                        assertEquals("−∞", text, what + " [" + i + "]");
                        continue;
                    }
                    assertEquals(v, inPage.get(i).asDouble(), TOLERANCE * Math.max(1, Math.abs(v)), what + " [" + i + "]");
                    assertEquals(v, Double.parseDouble(text.replace('−', '-')), Math.abs(v) * 0.051 + 1e-300, what + " [" + i + "] shows " + text);
                }
            }
        }
    }
}
