package dev.rnnplayground.server.web;

import dev.rnnplayground.server.common.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;

/**
 * Not a test: a picture of the page for people, and the page's generation speed, run by
 * {@code scripts/screenshot.sh} (that is, {@code scripts/page-tool.sh screenshot}) with {@code -Dscreenshot=/tmp/shot.png} (and optionally
 * {@code -Dscreenshot.model=FILE.safetensors} to open a model from disk,
 * {@code -Dscreenshot.hash=...} for the settings).
 */
final class PageScreenshot {

    private PageScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("rnn-screenshot-");
        try (BrowserSession browser = BrowserSession.standalone(data)) {
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(Integer.getInteger("screenshot.width", 1400),
                    Integer.getInteger("screenshot.height", 1000)));
            // -Dscreenshot.base=http://127.0.0.1:7071 photographs a server started elsewhere
            String pathAndHash = System.getProperty("screenshot.query", "/") + "#"
                    + System.getProperty("screenshot.hash", "speed=0&length=300&seed=2");
            // -Dscreenshot.cells=gpt,lstm: the first server model of the one cell in use, of the other under "Compare with"
            String cells = System.getProperty("screenshot.cells", "");
            if (!cells.isEmpty()) pathAndHash += serverModels(new PageApi(browser), cells.split(","));
            if (System.getProperty("screenshot.base") != null) {
                browser.openUrl(System.getProperty("screenshot.base") + pathAndHash);
            } else {
                browser.open(pathAndHash);
            }
            String model = System.getProperty("screenshot.model", "");
            if (!model.isEmpty()) {
                browser.find("#model-file").sendKeys(Path.of(model).toAbsolutePath().toString());
                browser.waitUntil(d -> browser.attribute("body", "data-model") != null);
            }
            Thread.sleep(Long.getLong("screenshot.wait", 0));   // e.g. to let a training chart fill
            String loaded = browser.attribute("body", "data-model");
            if (loaded != null) {
                // a server model starts writing by itself; one opened from disk waits for the button
                if (loaded.startsWith("file:")) browser.find("#generate-button").click();
                browser.waitUntil(Duration.ofSeconds(60), d -> "done".equals(browser.attribute("#output", "data-state")));
            }
            // -Dscreenshot.script='document.getElementById("bptt-code").open = true' sets the page up first
            String setUp = System.getProperty("screenshot.script", "");
            if (!setUp.isEmpty()) {
                browser.script(setUp);
                Thread.sleep(400);
            }
            // -Dscreenshot.width=390 for a phone; -Dscreenshot.elements=#architecture,#gates writes one picture per element
            String elements = System.getProperty("screenshot.elements", "");
            if (elements.isEmpty()) {
                Files.write(Path.of(System.getProperty("screenshot")), browser.driver.getScreenshotAs(OutputType.BYTES));
            }
            for (String css : elements.isEmpty() ? new String[0] : elements.split(",")) {
                var element = browser.find(css);
                browser.script("arguments[0].scrollIntoView({block: 'start'})", element);
                if (css.equals("#architecture")) {
                    browser.script("document.querySelector(\"#architecture-svg rect[data-column='2'][data-layer='0'][data-unit='5']\")"
                            + ".dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))");
                }
                if (css.equals("#detectors")) browser.find("#find-detectors").click();
                if (css.equals("#ladder")) {
                    // the ladder on the first 100,000 characters of tiny Shakespeare, 60 steps per rung
                    String excerpt = Files.readString(dev.rnnplayground.server.model.DefaultModelTest.shakespeare()).substring(0, 100_000);
                    new PageApi(browser).postText("/api/corpora?name=tiny%20shakespeare%20excerpt", excerpt);
                    browser.script("document.getElementById('ladder-steps').value = 60");
                    browser.find("#ladder-run").click();
                    browser.waitUntil(Duration.ofSeconds(900), d -> java.util.Set.of("done", "error").contains(browser.attribute("#ladder-table", "data-state")));
                    browser.script("arguments[0].scrollIntoView({block: 'start'})", element);
                }
                if (css.equals("#reach")) {
                    browser.find("#reach-button").click();
                    browser.waitUntil(Duration.ofSeconds(600), d -> java.util.Set.of("done", "error").contains(browser.attribute("#reach-chart", "data-state")));
                    browser.script("arguments[0].scrollIntoView({block: 'start'})", element);
                }
                Thread.sleep(400);
                Files.write(Path.of(System.getProperty("screenshot").replace(".png", "-" + css.substring(1) + ".png")),
                        element.getScreenshotAs(OutputType.BYTES));
            }
            System.out.println("engine " + browser.attribute("body", "data-engine") + ": "
                    + browser.attribute("#gen-stats", "data-chars-per-second") + " characters/s computed, "
                    + browser.attribute("#gen-stats", "data-wall-chars-per-second") + " characters/s written with the views drawn");
        } finally {
            AtomicFiles.deleteRecursively(data);
        }
    }

    /** "&model=ID&compare=ID" for the first model the server holds of each of the two cells. */
    private static String serverModels(PageApi api, String[] cells) {
        com.fasterxml.jackson.databind.JsonNode models = api.get("/api/models");
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            for (com.fasterxml.jackson.databind.JsonNode m : models) {
                if (ids[i] == null && m.get("cell").asText().equals(cells[i])) ids[i] = m.get("id").asText();
            }
        }
        return "&model=" + ids[0] + "&compare=" + ids[1];
    }
}
