package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gpt in the page: imported through the API, it writes in the browser exactly the text the
 * server's sample endpoint writes for the same seed (in both builds, past its block, so the
 * key/value cache refills on the way), the model line says what it is, and the views that look
 * inside a recurrent network step aside without a script error.
 */
class GptPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass();

    @Test
    void aGptWritesTheServersTextAndTheRecurrentViewsStepAside() throws Exception {
        Gpt gpt = new Gpt(PageModels.VOCAB, Architecture.gpt(16, 2, 2, 16, true), false).initialize(3);
        PageApi api = new PageApi(browser);
        String id = api.importModel("tiny gpt", ModelFile.write(gpt, DType.F32));
        JsonNode server = api.post("/api/models/" + id + "/sample",
                Map.of("prime", "the cat", "length", 60, "temperature", 0.8, "topK", 0, "seed", 3));

        for (String engine : List.of("", "?engine=js")) {
            browser.open("/" + engine + "#model=" + id + "&prime=the%20cat&speed=0&length=60&temperature=0.8&topK=0&seed=3");
            browser.waitUntil(d -> id.equals(browser.attribute("body", "data-model")));
            // from here on, any script error or rejected promise is kept for the assertion below
            browser.script("window.pageErrors = [];"
                    + "addEventListener('error', (e) => pageErrors.push(String(e.message)));"
                    + "addEventListener('unhandledrejection', (e) => pageErrors.push(String(e.reason)));");
            assertEquals("false", browser.attribute("body", "data-recurrent"));
            String info = browser.text("#model-info");
            assertTrue(info.startsWith("GPT · 2 layers × 2 heads × 16 wide · block of 16 characters · 30 symbols · ")
                    && info.endsWith(" parameters"), info);
            assertTrue(browser.find("#not-recurrent-note").isDisplayed());
            for (String view : List.of("#architecture", "#gates", "#detectors")) {
                assertTrue(!browser.find(view).isDisplayed(), view + " looks inside a recurrent network: hidden for a gpt");
            }
            assertTrue(browser.find("#reach").isDisplayed(), "the gradient reach measures a gpt too (ReachPageTest)");
            browser.find("#generate-button").click();
            browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
            assertEquals(server.get("text").asText(), browser.text("#output-written"), "page" + engine + " vs server");
            assertEquals(List.of(), browser.script("return window.pageErrors"));
            assertTrue(browser.find("#message").getAttribute("hidden") != null, browser.text("#message"));
        }
    }
}
