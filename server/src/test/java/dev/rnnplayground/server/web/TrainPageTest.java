package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.common.Jackson;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * The page against the server's API: upload a text, train a few steps while the loss chart
 * fills, then write with the new model in the browser, exactly as the server's sample endpoint
 * writes; bad uploads and imports explain themselves; models can be imported and deleted.
 * The tests share one server and browser and run in order: the training test makes the model
 * the later ones use.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();
    static String trainedModelId;

    private static Path file(String name, byte[] content) throws IOException {
        return Files.write(browser.dir().resolve(name), content);
    }

    private static void setField(String name, String value) {
        WebElement input = browser.find("#train-form [name=" + name + "]");
        browser.script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", input, value);
    }

    @Test
    @Order(1)
    void uploadTrainWatchTheLossAndWriteWithTheNewModel() throws IOException {
        browser.open("/#speed=0&length=20");
        browser.find("#corpus-file").sendKeys(file("verse.txt", TestTexts.VERSE.getBytes(StandardCharsets.UTF_8)).toString());
        browser.waitUntil(d -> browser.attribute("#corpus-info", "data-corpus-id") != null);
        assertTrue(browser.text("#corpus-info").startsWith("verse.txt:"), browser.text("#corpus-info"));

        new Select(browser.find("#train-form [name=cell]")).selectByValue("gru");
        setField("hidden", "16");
        setField("layers", "1");
        setField("seqLength", "16");
        setField("batchSize", "4");
        setField("steps", "60");
        browser.find("#model-name").sendKeys("tiny verse");
        browser.find("#train-button").click();

        browser.waitUntil(Duration.ofSeconds(60), d -> browser.attribute("#train-status", "data-model-id") != null);
        trainedModelId = browser.attribute("#train-status", "data-model-id");
        int points = Integer.parseInt(browser.attribute("#loss-chart", "data-points"));
        assertTrue(points >= 2, "loss chart points: " + points);
        // the loss of a uniform guess over the text's symbols, ln V, drawn as a labelled line across the run
        int symbols = 0;
        for (JsonNode c : new PageApi(browser).get("/api/corpora")) {
            if (c.get("id").asText().equals(browser.attribute("#corpus-info", "data-corpus-id"))) symbols = c.get("distinctSymbols").asInt();
        }
        double uniform = Math.log(symbols);
        assertEquals(uniform, Double.parseDouble(browser.attribute("#loss-chart", "data-baseline")), 1e-12);
        assertEquals(String.format(java.util.Locale.ROOT, "uniform guess: ln %d = %.2f", symbols, uniform), browser.chartLabels("loss-chart").get(2));
        List<double[]> baseline = browser.chartLines("loss-chart").get(2);
        assertEquals(List.of(0.0, 60.0), baseline.stream().map(p -> p[0]).toList());
        assertTrue(baseline.stream().allMatch(p -> Math.abs(p[1] - uniform) < 1e-12), "a horizontal line at ln V");
        assertEquals("60", browser.find("#train-progress").getDomProperty("value"));

        // the new model is listed, selected and writes in the browser at once
        browser.waitUntil(d -> trainedModelId.equals(browser.attribute("body", "data-model")));
        assertEquals(trainedModelId, new Select(browser.find("#model-select")).getFirstSelectedOption().getDomAttribute("value"));
        assertTrue(browser.text("#models-table tbody").contains("tiny verse"), browser.text("#models-table tbody"));
        browser.find("#generate-button").click();
        browser.waitUntil(d -> browser.text("#output-written").length() == 20);
    }

    @Test
    @Order(2)
    void pageWritesWhatTheServerSampleEndpointWrites() throws Exception {
        String prime = "The moon";
        for (String engine : new String[] {"wasm", "js"}) {
            browser.open((engine.equals("js") ? "/?engine=js" : "/") + "#model=" + trainedModelId
                    + "&speed=0&length=250&seed=99&temperature=0.7&topK=8&prime=The%20moon");
            assertEquals(engine, browser.attribute("body", "data-engine"));
            browser.waitUntil(d -> trainedModelId.equals(browser.attribute("body", "data-model")));
            browser.find("#generate-button").click();
            browser.waitUntil(Duration.ofSeconds(20), d -> "done".equals(browser.attribute("#output", "data-state")));

            JsonNode sample = post("/api/models/" + trainedModelId + "/sample",
                    Map.of("prime", prime, "length", 250, "temperature", 0.7, "topK", 8, "seed", 99));
            assertEquals(sample.get("text").asText(), browser.text("#output-written"), engine);
        }
    }

    @Test
    @Order(3)
    void badUploadsSayWhatIsWrong() throws IOException {
        browser.open("/#" + BrowserSession.QUIET);
        browser.find("#corpus-file").sendKeys(file("empty.txt", new byte[0]).toString());
        browser.waitUntil(d -> browser.find("#train-error").isDisplayed());
        assertTrue(browser.text("#train-error").contains("empty"), browser.text("#train-error"));

        browser.find("#corpus-file").sendKeys(file("latin1.txt", new byte[] {'c', 'a', 'f', (byte) 0xe9}).toString());
        browser.waitUntil(d -> browser.text("#train-error").contains("UTF-8"));
        assertTrue(browser.find("#train-button").getDomProperty("disabled").equals("true"));

        browser.find("#model-import").sendKeys(file("junk.safetensors", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}).toString());
        browser.waitUntil(d -> browser.find("#models-error").isDisplayed());
        assertTrue(browser.text("#models-error").startsWith("Could not import junk.safetensors:"), browser.text("#models-error"));
    }

    @Test
    @Order(4)
    void importAndDeleteModels() throws IOException {
        CharRnn model = new CharRnn(CellType.RNN, Vocab.of("xyz "), 8, 1).initialize(3);
        browser.open("/#" + BrowserSession.QUIET);
        int before = rows();
        browser.find("#model-import").sendKeys(file("imported.safetensors", ModelFile.write(model, DType.F32)).toString());
        browser.waitUntil(d -> rows() == before + 1);
        browser.waitUntil(d -> browser.text("#model-info").startsWith("RNN · 8 hidden units"));

        WebElement row = browser.driver.findElements(By.cssSelector("#models-table tr[data-id]")).stream()
                .filter(r -> r.getText().contains("imported")).findFirst().orElseThrow();
        row.findElement(By.xpath(".//button[text()='Delete']")).click();
        browser.driver.switchTo().alert().accept();
        browser.waitUntil(d -> rows() == before);
    }

    @Test
    @Order(5)
    void aCancelledJobKeepsItsModelAndResumes() throws IOException {
        browser.open("/#" + BrowserSession.QUIET);
        // the text uploaded by the first test is offered again
        browser.waitUntil(d -> browser.driver.findElements(By.cssSelector("#corpus-select option")).size() > 1);
        Select corpora = new Select(browser.find("#corpus-select"));
        corpora.selectByValue(corpora.getOptions().stream().filter(o -> o.getText().startsWith("verse.txt ("))
                .findFirst().orElseThrow().getDomAttribute("value"));
        browser.waitUntil(d -> browser.text("#corpus-info").startsWith("verse.txt:"));
        setField("hidden", "8");
        setField("steps", "500000");
        // two jobs started elsewhere first (one worker: one trains, one waits), so the page's job is third in line
        PageApi api = new PageApi(browser);
        Map<String, Object> elsewhere = Map.of("corpusId", browser.attribute("#corpus-info", "data-corpus-id"), "hidden", 8,
                "seqLength", 16, "batchSize", 4, "steps", 500_000);
        List<String> ahead = List.of(api.post("/api/jobs", elsewhere, 202).get("id").asText(),
                api.post("/api/jobs", elsewhere, 202).get("id").asText());
        browser.find("#train-button").click();
        browser.waitUntil(d -> browser.text("#train-status").equals("Waiting for a free worker: 2 jobs ahead of yours."));
        String pageJob = null;
        for (JsonNode j : api.get("/api/jobs")) if (!ahead.contains(j.get("id").asText()) && j.get("status").asText().equals("queued")) pageJob = j.get("id").asText();
        assertEquals(2, api.get("/api/jobs/" + pageJob).get("jobsAhead").asInt(), "the page says what the server says");
        api.post("/api/jobs/" + ahead.get(1) + "/cancel", Map.of());
        browser.waitUntil(d -> browser.text("#train-status").equals("Waiting for a free worker: 1 job ahead of yours."));
        api.post("/api/jobs/" + ahead.get(0) + "/cancel", Map.of());
        browser.waitUntil(d -> browser.text("#train-status").startsWith("step "));
        browser.find("#cancel-button").click();
        JsonNode first = awaitCancelledAndShown();
        assertEquals("true", browser.find("#cancel-button").getDomProperty("disabled"));
        assertEquals("false", browser.find("#train-button").getDomProperty("disabled"));

        // Resume, by keyboard: the same job goes on from its checkpoint, the button gone while it trains
        browser.find("#resume-button").sendKeys(org.openqa.selenium.Keys.ENTER);
        browser.waitUntil(Duration.ofSeconds(30), d -> browser.text("#train-status").startsWith("step ")
                && Double.parseDouble(browser.find("#train-progress").getDomProperty("value")) > first.get("step").asLong());
        assertTrue(!browser.find("#resume-button").isDisplayed(), "no Resume while it trains");
        JsonNode running = api.get("/api/jobs/" + first.get("id").asText());
        assertEquals("running", running.get("status").asText(), running.toString());
        assertEquals(first.get("step").asLong(), running.get("resumedFromStep").asLong(), "resumed from the step it was cancelled at");

        // cancelled again, further on: a second model, the first still listed
        browser.find("#cancel-button").click();
        JsonNode second = awaitCancelledAndShown();
        assertEquals(first.get("id").asText(), second.get("id").asText());
        assertTrue(second.get("step").asLong() > first.get("step").asLong(), second.toString());
        assertTrue(browser.driver.findElements(By.cssSelector("#models-table tr[data-id='" + first.get("modelId").asText() + "']")).size() == 1);

        // after a reload the cancelled job is offered again
        browser.open("/#" + BrowserSession.QUIET);
        browser.waitUntil(d -> browser.find("#resume-button").isDisplayed());
        assertEquals(cancelledMessage(second), browser.text("#train-error"));
    }

    /**
     * Waits for the page to say the newest job was cancelled, and checks it against the server: the
     * message, the kept model listed and selected (its id on the status line), and Resume offered.
     */
    private static JsonNode awaitCancelledAndShown() {
        browser.waitUntil(Duration.ofSeconds(30), d -> browser.text("#train-error").startsWith("Training was cancelled at step ")
                && browser.find("#resume-button").isDisplayed());
        JsonNode job = new PageApi(browser).get("/api/jobs").get(0);
        assertEquals("cancelled", job.get("status").asText(), job.toString());
        String modelId = job.get("modelId").asText();
        assertEquals(cancelledMessage(job), browser.text("#train-error"));
        assertEquals(modelId, browser.attribute("#train-status", "data-model-id"));
        browser.waitUntil(d -> modelId.equals(browser.attribute("body", "data-model")));
        assertTrue(browser.text("#models-table tr[data-id='" + modelId + "']").contains("(cancelled at step " + job.get("step").asLong()),
                browser.text("#models-table tbody"));
        return job;
    }

    private static String cancelledMessage(JsonNode job) {
        return String.format(java.util.Locale.ROOT, "Training was cancelled at step %,d of %,d. What it learnt so far is kept as a model in"
                + " the Models list. Resume goes on from step %,d.", job.get("step").asLong(), job.get("steps").asLong(),
                job.get("checkpointStep").asLong());
    }

    @Test
    @Order(6)
    void theFormTakesTheServersLimitsAndDefaults() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                browser.request("/api/training/options").build(), HttpResponse.BodyHandlers.ofString());
        JsonNode options = Jackson.MAPPER.readTree(response.body());
        browser.open("/#" + BrowserSession.QUIET);
        String hiddenMax = options.get("limits").get("hidden").get("max").asText();
        browser.waitUntil(d -> hiddenMax.equals(browser.find("#train-form [name=hidden]").getDomProperty("max")));
        for (String field : new String[] {"layers", "seqLength", "batchSize", "steps", "dropout"}) {
            WebElement input = browser.find("#train-form [name=" + field + "]");
            assertEquals(options.get("limits").get(field).get("min").asDouble(), Double.parseDouble(input.getDomProperty("min")), field);
            assertEquals(options.get("limits").get(field).get("max").asDouble(), Double.parseDouble(input.getDomProperty("max")), field);
        }
        // a preset sets the network; what it leaves open is the server's default
        new Select(browser.find("#preset")).selectByValue("small");
        for (String field : new String[] {"clip", "seed", "dropout"}) {
            assertEquals(options.get("defaults").get(field).asDouble(),
                    Double.parseDouble(browser.find("#train-form [name=" + field + "]").getDomProperty("value")), field);
        }
    }

    private static int rows() {
        return browser.driver.findElements(By.cssSelector("#models-table tr[data-id]")).size();
    }

    private static JsonNode post(String path, Map<String, ?> body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(browser.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Jackson.toString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Jackson.MAPPER.readTree(response.body());
    }
}
