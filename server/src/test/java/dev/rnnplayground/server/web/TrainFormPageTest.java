package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.TestTexts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The training form: a refusal is said once with the field marked and nothing half-drawn (B5); a
 * reload while a job trains shows that job's settings (B8); a trained model downloaded and
 * imported again keeps its training record (B9).
 */
class TrainFormPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();
    static final PageApi api = new PageApi(browser);

    private static void setField(String name, String value) {
        WebElement input = browser.find("#train-form [name=" + name + "]");
        browser.script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", input, value);
    }

    private static void uploadVerse() throws Exception {
        Path file = Files.writeString(browser.dir().resolve("verse.txt"), TestTexts.VERSE, StandardCharsets.UTF_8);
        browser.find("#corpus-file").sendKeys(file.toString());
        browser.waitUntil(d -> browser.attribute("#corpus-info", "data-corpus-id") != null);
    }

    @Test
    void aRefusalIsSaidOnceWithTheFieldMarked() throws Exception {
        browser.open("/#" + BrowserSession.QUIET);
        uploadVerse();
        setField("hidden", "5000");
        setField("layers", "2");
        browser.find("#train-button").click();
        browser.waitUntil(d -> browser.find("#train-error").isDisplayed());
        String message = browser.text("#train-error");
        assertEquals(1, message.split("must be 1 to", -1).length - 1, "said once: " + message);
        assertEquals("true", browser.attribute("#train-form [name=hidden]", "aria-invalid"));
        assertEquals(null, browser.attribute("#train-form [name=layers]", "aria-invalid"));
        assertEquals("true", browser.find("#train-live").getDomProperty("hidden"), "no empty progress bar or chart");
        // fixing the field clears its mark
        setField("hidden", "16");
        assertEquals(null, browser.attribute("#train-form [name=hidden]", "aria-invalid"));
    }

    @Test
    void aReloadDuringTrainingShowsTheJobsSettings() throws Exception {
        browser.open("/#" + BrowserSession.QUIET);
        uploadVerse();
        String corpusId = browser.attribute("#corpus-info", "data-corpus-id");
        new Select(browser.find("#train-form [name=cell]")).selectByValue("gru");
        setField("hidden", "12");
        setField("seqLength", "16");
        setField("batchSize", "3");
        setField("steps", "500000");
        browser.find("#train-button").click();
        browser.waitUntil(d -> browser.text("#train-status").startsWith("step "));

        browser.open("/#" + BrowserSession.QUIET);
        browser.waitUntil(d -> browser.text("#train-status").startsWith("step "));
        assertEquals("gru", browser.find("#train-form [name=cell]").getDomProperty("value"));
        assertEquals("12", browser.find("#train-form [name=hidden]").getDomProperty("value"));
        assertEquals("16", browser.find("#train-form [name=seqLength]").getDomProperty("value"));
        assertEquals("3", browser.find("#train-form [name=batchSize]").getDomProperty("value"));
        assertEquals("custom", browser.find("#preset").getDomProperty("value"));
        assertEquals(corpusId, browser.find("#corpus-select").getDomProperty("value"));
        assertEquals("true", browser.find("#train-button").getDomProperty("disabled"), "one job at a time from here");
        browser.find("#cancel-button").click();
        browser.waitUntil(d -> browser.text("#train-error").startsWith("Training was cancelled at step "));
        assertEquals("false", browser.find("#train-button").getDomProperty("disabled"), "Train is offered again");
    }

    @Test
    void aDownloadedModelKeepsItsTrainingRecord() throws Exception {
        JsonNode corpus = api.postText("/api/corpora?name=verse.txt", TestTexts.VERSE);
        JsonNode job = api.post("/api/jobs", Map.of("corpusId", corpus.get("id").asText(), "hidden", 8, "seqLength", 16,
                "batchSize", 2, "steps", 20, "name", "record keeper"), 202);
        String modelId = awaitModel(job.get("id").asText());
        JsonNode trained = api.get("/api/models/" + modelId);

        browser.open("/#" + BrowserSession.QUIET);
        WebElement download = browser.find("#models-table tr[data-id='" + modelId + "'] a");
        byte[] file = HttpClient.newHttpClient().send(browser.request(URI.create(download.getDomProperty("href")).getRawPath()).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        String importedId = api.importModel("record keeper again", file);
        JsonNode imported = api.get("/api/models/" + importedId);
        assertEquals(trained.get("valLoss").asDouble(), imported.get("valLoss").asDouble(), 1e-4);
        assertEquals(trained.get("trainLoss").asDouble(), imported.get("trainLoss").asDouble(), 1e-4);
        assertEquals(20, imported.get("steps").asLong());
        assertEquals("verse.txt", imported.get("corpusName").asText());

        browser.open("/#" + BrowserSession.QUIET);
        String loss = browser.text("#models-table tr[data-id='" + importedId + "'] td.number");
        assertNotEquals("–", loss);
        assertFalse(loss.isBlank());
        assertTrue(Double.parseDouble(loss) > 0, loss);
    }

    private static String awaitModel(String jobId) {
        return browser.waitUntil(Duration.ofSeconds(60), d -> {
            JsonNode j = api.get("/api/jobs/" + jobId);
            if (j.get("status").asText().equals("failed")) throw new AssertionError(j.toString());
            return j.hasNonNull("modelId") ? j.get("modelId").asText() : null;
        });
    }
}
