package dev.rnnplayground.server.web;

import dev.rnnplayground.server.common.AtomicFiles;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Not a test but a measuring tool, run by {@code scripts/page-tool.sh views-report}: measures what
 * docs/page.md reports about the shipped models, with the page itself. Each shipped model reads {@code -Dviews.chars} (default 2000) characters of held-out tiny
 * Shakespeare (from the start of its last 5%, {@code -Dviews.text=FILE}); the page's "Find
 * detectors" and gate-saturation summary are read off and written to {@code -Dviews.report=FILE}.
 */
final class ViewsReport {

    private ViewsReport() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("views.report") == null) throw new IllegalArgumentException("-Dviews.report=FILE is required");
        Path data = Files.createTempDirectory("rnn-views-report-");
        try {
            measureTheShippedModels(data);
        } finally {
            AtomicFiles.deleteRecursively(data);
        }
    }

    private static void measureTheShippedModels(Path data) throws Exception {
        String all = Files.readString(System.getProperty("views.text") == null
                ? dev.rnnplayground.server.model.DefaultModelTest.shakespeare() : Path.of(System.getProperty("views.text")));
        int from = all.offsetByCodePoints(0, (int) (all.codePointCount(0, all.length()) * 0.95));
        String text = all.substring(from, all.offsetByCodePoints(from, Integer.getInteger("views.chars", 2000)));
        List<String> lines = new ArrayList<>();
        lines.add("text: " + text.length() + " characters of tinyshakespeare.txt from offset " + from + " (its held-out last 5%)");
        try (BrowserSession browser = BrowserSession.standalone(data)) {
            PageApi api = new PageApi(browser);
            for (var m : api.get("/api/models")) {
                browser.open("/#model=" + m.get("id").asText() + "&length=0&speed=0&prime="
                        + URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
                browser.waitUntil(Duration.ofSeconds(60), d -> "done".equals(browser.attribute("#output", "data-state")));
                lines.add("");
                lines.add(m.get("name").asText() + " (" + m.get("cell").asText() + " " + m.get("hidden").asInt() + " x " + m.get("layers").asInt() + ")");
                // the GPT and the LSTM that attends show attention instead of the recurrent views
                if (!browser.find("#find-detectors").isDisplayed()) continue;
                browser.find("#find-detectors").click();
                browser.waitUntil(Duration.ofSeconds(60), d -> !d.findElements(By.cssSelector("#detectors-list li")).isEmpty());
                for (WebElement li : browser.driver.findElements(By.cssSelector("#detectors-list li"))) {
                    lines.add(String.format("  detector %-22s %s layer %s unit %-4s r = %+.3f", li.getDomAttribute("data-feature"),
                            li.getDomAttribute("data-state"), Integer.parseInt(li.getDomAttribute("data-layer")) + 1,
                            li.getDomAttribute("data-unit"), Double.parseDouble(li.getDomAttribute("data-r"))));
                }
                if (!browser.find("#gates-body").isDisplayed()) continue;
                Select layer = new Select(browser.find("#gates-layer"));
                for (int l = 0; l < m.get("layers").asInt(); l++) {
                    if (m.get("layers").asInt() > 1) {   // one layer: "top layer" is all there is, already shown
                        layer.selectByValue(String.valueOf(l));
                        browser.script("document.getElementById('gates-saturation').replaceChildren()");
                    }
                    browser.waitUntil(d -> !d.findElements(By.cssSelector(".saturation-row")).isEmpty());
                    for (WebElement row : browser.driver.findElements(By.cssSelector(".saturation-row"))) {
                        lines.add(String.format("  layer %d gate %-14s left-saturated %5.1f%%  right-saturated %5.1f%%", l + 1,
                                row.findElement(By.tagName("span")).getText(), 100 * Double.parseDouble(row.getDomAttribute("data-left")),
                                100 * Double.parseDouble(row.getDomAttribute("data-right"))));
                    }
                }
            }
        }
        Files.write(Path.of(System.getProperty("views.report")), lines);
    }
}
