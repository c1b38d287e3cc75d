package dev.rnnplayground.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Not a test but a measuring tool, run by {@code scripts/page-tool.sh race-report}: the race that
 * docs/page.md reports, run by the page itself with its default preset and settings (four models,
 * about the parameters of an LSTM of 64, 300 steps) on {@code -Drace.text=FILE} (default: all of
 * tiny Shakespeare), on a server of its own with one worker (the runs train one after another, each
 * with the machine to itself). Prints each run's settings, the page's table and who led, and with
 * {@code -Drace.shots=DIR} photographs the view at 1280 and 390 px.
 */
final class RaceReport {

    private RaceReport() {
    }

    public static void main(String[] args) throws Exception {
        BrowserSession.runTool("race-report", RaceReport::race);
    }

    private static void race(BrowserSession browser) throws Exception {
        Path textFile = System.getProperty("race.text") == null
                ? dev.rnnplayground.server.model.DefaultModelTest.shakespeare() : Path.of(System.getProperty("race.text"));
        List<String> lines = new ArrayList<>();
        PageApi api = new PageApi(browser);
        String corpusId = api.postText("/api/corpora?name=" + textFile.getFileName(), Files.readString(textFile)).get("id").asText();
        browser.driver.manage().window().setSize(new Dimension(1280, 900));
        browser.open("/#" + BrowserSession.QUIET);
        browser.waitUntil(d -> new Select(browser.find("#race-corpus")).getOptions().size() > 0);
        new Select(browser.find("#race-corpus")).selectByValue(corpusId);
        long start = System.nanoTime();
        browser.find("#race-start").click();
        browser.waitUntil(Duration.ofMinutes(60), d -> "done".equals(browser.attribute("#race-table", "data-state")));
        lines.add(String.format("the race took %.0f s of wall time on %s", (System.nanoTime() - start) / 1e9, textFile));
        String hash = (String) browser.script("return location.hash");
        for (String id : URLDecoder.decode(hash.replaceAll(".*race=([^&]*).*", "$1"), StandardCharsets.UTF_8).split(",")) {
            JsonNode spec = api.get("/api/jobs/" + id).get("spec");
            lines.add("job " + id + ": " + spec);
        }
        for (WebElement row : browser.driver.findElements(By.cssSelector("#race-table tr"))) {
            List<String> cells = row.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).toList();
            lines.add("| " + String.join(" | ", cells) + " |");
        }
        for (WebElement line : browser.driver.findElements(By.cssSelector("#race-leaders p"))) lines.add(line.getText());
        if (System.getProperty("race.shots") != null) photograph(browser, Path.of(System.getProperty("race.shots")));
        lines.forEach(System.out::println);
    }

    private static void photograph(BrowserSession browser, Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String axis : new String[] {"time", "characters"}) {
            new Select(browser.find("#race-axis")).selectByValue(axis);
            for (int width : new int[] {1280, 390}) {
                browser.driver.manage().window().setSize(new Dimension(width, 900));
                browser.script("arguments[0].scrollIntoView()", browser.find("#race-axis"));
                Thread.sleep(300);   // let the chart draw after the resize
                Files.write(dir.resolve("race-" + axis + "-" + width + ".png"), browser.driver.getScreenshotAs(OutputType.BYTES));
            }
        }
    }
}
