package dev.rnnplayground.server.web;

import dev.rnnplayground.server.common.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;

/**
 * Not a test but a tool, run by {@code scripts/page-tool.sh view-screenshots}: pictures of the
 * experiment views with the shipped models, at a laptop's 1280x800 and a phone's 390x844, written
 * to {@code -Dshots=DIR}. Each view's button is
 * pressed and its result awaited before the section is scrolled to the top and photographed.
 */
final class ViewScreenshots {

    private ViewScreenshots() {
    }

    /** name, the section, its button, the element whose data-state says "done", a script to run before the button. */
    private static final String[][] VIEWS = {
            {"reach", "#reach", "#reach-button", "#reach-chart", ""},
            {"gradcheck", "#gradcheck", "#gc-run", "#gc-table", ""},
            {"learn", "#learn", "#learn summary", "", ""},
            {"race", "#race", "#race-start", "#race-table",
                    "document.getElementById('race-steps').value = 150; document.getElementById('race-hidden').value = 32;"},
            {"ladder", "#ladder", "#ladder-run", "#ladder-table", "document.getElementById('ladder-steps').value = 100;"},
    };

    public static void main(String[] args) throws Exception {
        if (System.getProperty("shots") == null) throw new IllegalArgumentException("-Dshots=DIR is required");
        Path data = Files.createTempDirectory("rnn-view-screenshots-");
        try {
            photographEachView(data);
        } finally {
            AtomicFiles.deleteRecursively(data);
        }
    }

    private static void photographEachView(Path data) throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("shots")));
        try (BrowserSession browser = BrowserSession.standalone(data)) {
            // a text for the race: the first 100,000 characters of tiny Shakespeare
            String excerpt = Files.readString(dev.rnnplayground.server.model.DefaultModelTest.shakespeare()).substring(0, 100_000);
            java.net.http.HttpClient.newHttpClient().send(browser.request("/api/corpora?name=tiny%20shakespeare%20excerpt")
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(excerpt)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
                browser.driver.manage().window().setSize(new Dimension(size[0], size[1]));
                browser.open("/#speed=0&length=600&seed=2&prime=ROMEO:&gcTruncate=2&race=");
                browser.waitUntil(Duration.ofSeconds(60), d -> "done".equals(browser.attribute("#output", "data-state")));
                for (String[] view : VIEWS) {
                    browser.script("arguments[0].scrollIntoView()", browser.find(view[1]));
                    if (!view[4].isEmpty()) browser.script(view[4]);
                    browser.find(view[2]).click();
                    if (!view[3].isEmpty()) {
                        browser.waitUntil(Duration.ofSeconds(180), d -> "done".equals(browser.attribute(view[3], "data-state")));
                    }
                    browser.script("arguments[0].scrollIntoView()", browser.find(view[1]));
                    Thread.sleep(300);   // let the chart draw after the scroll
                    Files.write(dir.resolve(view[0] + "-" + size[0] + "x" + size[1] + ".png"),
                            browser.driver.getScreenshotAs(OutputType.BYTES));
                }
            }
        }
    }
}
