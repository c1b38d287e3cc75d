package dev.rnnplayground.server.web;

import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import io.javalin.Javalin;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real server on 127.0.0.1 (any free port, its own data directory) and a headless Debian
 * Chromium driving the page, shared by the tests of one class. The driver and browser paths are
 * given explicitly (system properties {@code webdriver.chrome.driver} and {@code chromium.binary},
 * set by the pom), so Selenium never goes to the network to look for them.
 */
final class BrowserSession implements AutoCloseable {

    final Javalin app;
    final ChromeDriver driver;
    final String base;

    BrowserSession(Path dataDir) {
        this(ServerConfig.defaults(dataDir));
    }

    BrowserSession(ServerConfig serverConfig) {
        ServerConfig config = serverConfig.withPort(0);
        app = RnnServer.create(config, Services.open(config)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeDriver d;
        try {
            d = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            app.stop();
            throw e;
        }
        driver = d;
    }

    /** Opens the page (path may carry ?query and #hash) and waits until it has started. */
    void open(String pathAndHash) {
        openUrl(base + pathAndHash);
    }

    /** As {@link #open}, for any address (e.g. another running server). */
    void openUrl(String url) {
        driver.get("about:blank");   // a hash-only change would not reload the page
        driver.get(url);
        waitUntil(Duration.ofSeconds(20), d -> "true".equals(attribute("body", "data-ready")));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    String attribute(String css, String name) {
        return find(css).getDomAttribute(name);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** textContent (not the rendered text: spaces and newlines stay exactly as written). */
    String text(String css) {
        return (String) script("return arguments[0].textContent", find(css));
    }

    <T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(25)).until(condition);
    }

    <T> T waitUntil(Function<WebDriver, T> condition) {
        return waitUntil(Duration.ofSeconds(15), condition);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            app.stop();
        }
    }
}
