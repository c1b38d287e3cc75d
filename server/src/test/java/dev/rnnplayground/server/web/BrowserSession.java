package dev.rnnplayground.server.web;

import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.http.AccessGuard;
import io.javalin.Javalin;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
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
 * A real server on 127.0.0.1 (any free port, its own data directory, a random access token as
 * {@code rnn serve} makes one) and a headless Debian Chromium driving the page, shared by the
 * tests of one class. Pages are opened through the token address, as a user opens the address
 * {@code rnn serve} prints. The driver and browser paths are
 * given explicitly (system properties {@code webdriver.chrome.driver} and {@code chromium.binary},
 * set by the pom), so Selenium never goes to the network to look for them.
 */
final class BrowserSession implements AutoCloseable {

    final Javalin app;
    final ChromeDriver driver;
    final String base;
    /** The server's access token, or null for a server started without one. */
    final String token;

    BrowserSession(Path dataDir) {
        this(ServerConfig.defaults(dataDir).withToken(AccessGuard.newToken()));
    }

    BrowserSession(ServerConfig serverConfig) {
        ServerConfig config = serverConfig.withPort(0);
        app = RnnServer.create(config, Services.open(config)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
        token = config.token();

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

    /**
     * Opens the page (path may carry ?query and #hash) through the token address and waits until it
     * has started.
     */
    void open(String pathAndHash) {
        openUrl(base + withToken(pathAndHash));
    }

    /** As {@link #open}, without the token in the address (a fresh browser given the bare address). */
    void openWithoutToken(String pathAndHash) {
        openUrl(base + pathAndHash);
    }

    private String withToken(String pathAndHash) {
        if (token == null) return pathAndHash;
        int hash = pathAndHash.indexOf('#');
        String path = hash < 0 ? pathAndHash : pathAndHash.substring(0, hash);
        String rest = hash < 0 ? "" : pathAndHash.substring(hash);
        return path + (path.contains("?") ? "&" : "?") + "token=" + token + rest;
    }

    /** A request to the server for a test's own API calls, carrying the token. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
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
