package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.http.AccessGuard;
import dev.rnnplayground.server.model.DefaultModel;
import io.javalin.Javalin;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real server on 127.0.0.1 (any free port, its own data directory, a random access token as
 * {@code rnn serve} makes one) and a headless Debian Chromium driving the page. A browser test
 * class registers it once:
 *
 * <pre>{@code @RegisterExtension static final BrowserSession browser = BrowserSession.perClass();}</pre>
 *
 * and gets, before its {@code @BeforeAll} methods run, a fresh server on a fresh data directory
 * ({@link #dir()}{@code /data}), stopped and deleted after the class. {@link #serverPerTest()}
 * starts none: each test starts its own with {@link #serve}, stopped after the test.
 *
 * <p>One Chromium serves every class of the run (it starts in about a second, and a test class
 * takes a few): it lives in JUnit's root store and is quit when the run ends. Each server has its
 * own origin (its port), and the origin's storage and the browser's cache are cleared when a server
 * starts, so a class sees the page as a fresh browser does; the window is set back to 1400x1000
 * and open alerts are dismissed. Pages are opened through the token address, as a user opens the
 * address {@code rnn serve} prints. The driver and browser paths are given explicitly (system
 * properties {@code webdriver.chrome.driver} and {@code chromium.binary}, set by the pom), so
 * Selenium never goes to the network to look for them.
 */
final class BrowserSession implements BeforeAllCallback, AfterEachCallback, AfterAllCallback, AutoCloseable {

    private static final Dimension WINDOW = new Dimension(1400, 1000);

    /**
     * Settings for a page that writes five characters at once and then rests, for the tests whose
     * checks do not follow the writing: at its default 60 characters a second the page greets with
     * 400 characters, redrawing every view at each one, and keeps more than one of the two cores
     * busy for 7 s while the test goes on.
     */
    static final String QUIET = "speed=0&length=5";

    private final boolean serverPerClass;
    private boolean withoutShippedLstm;
    private Chromium chromium;
    private Path dir;

    /** The running server, or null between a {@link #serverPerTest} session's tests. */
    Javalin app;
    ChromeDriver driver;
    String base;
    /** The server's access token, or null for a server started without one. */
    String token;

    private BrowserSession(boolean serverPerClass) {
        this.serverPerClass = serverPerClass;
    }

    /** A server started before the class's {@code @BeforeAll} methods and stopped after the class. */
    static BrowserSession perClass() {
        return new BrowserSession(true);
    }

    /**
     * Each server this session starts deletes the shipped 7.6 MB LSTM at once, as a learner may,
     * so that the page opens with the small shipped models instead (the GRU or the vanilla RNN):
     * for classes whose checks do not depend on the model the page starts with, since loading
     * the LSTM is most of a page's start (it is read into the page's engine at every open).
     */
    BrowserSession withoutShippedLstm() {
        withoutShippedLstm = true;
        return this;
    }

    /** No server until a test calls {@link #serve}; it is stopped after that test. */
    static BrowserSession serverPerTest() {
        return new BrowserSession(false);
    }

    /**
     * Outside JUnit (the measuring tools): a Chromium of its own and a server on {@code dataDir};
     * {@link #close} stops both.
     */
    static BrowserSession standalone(Path dataDir) {
        BrowserSession s = new BrowserSession(false);
        s.chromium = new Chromium();
        s.driver = s.chromium.driver;
        s.serve(ServerConfig.defaults(dataDir).withToken(AccessGuard.newToken()));
        return s;
    }

    /** What a measuring tool does with its standalone session. */
    interface Tool {
        void run(BrowserSession browser) throws Exception;
    }

    /** Runs a measuring tool outside JUnit on a standalone session over a temporary data directory, deleted afterwards. */
    static void runTool(String name, Tool tool) throws Exception {
        Path data = Files.createTempDirectory("rnn-" + name + "-");
        try (BrowserSession browser = standalone(data)) {
            tool.run(browser);
        } finally {
            AtomicFiles.deleteRecursively(data);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        chromium = Chromium.shared(context);
        driver = chromium.driver;
        dir = Files.createTempDirectory("rnn-page-test-");
        if (serverPerClass) serve(ServerConfig.defaults(Files.createDirectories(dir.resolve("data"))).withToken(AccessGuard.newToken()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!serverPerClass) stopServer();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            stopServer();
        } finally {
            if (dir != null) AtomicFiles.deleteRecursively(dir);
        }
    }

    /** A directory of the class's own for the files a test writes; the server's data is in its {@code data}. */
    Path dir() {
        return dir;
    }

    /**
     * Starts a server with this configuration (on any free port), stopping the one before, and
     * gives the browser a clean start: the window at 1400x1000, no alert, the origin's storage and
     * the cache cleared.
     */
    void serve(ServerConfig serverConfig) {
        stopServer();
        ServerConfig config = serverConfig.withPort(0);
        app = RnnServer.create(config, Services.open(config)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
        token = config.token();
        if (withoutShippedLstm) new PageApi(this).deleteModelNamed(DefaultModel.NAME);
        leavePage();
        driver.manage().window().setSize(WINDOW);
        driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
        driver.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", base, "storageTypes", "all"));
        driver.manage().deleteAllCookies();
        // the tab's session storage is not in "all": clear it on a page of the origin (a refused request)
        driver.get(base + "/api/clean-slate");
        script("sessionStorage.clear(); localStorage.clear()");
        driver.get("about:blank");
    }

    /** Leaves the page (so that it stops calling) and stops the running server, if any. */
    void stopServer() {
        if (app == null) return;
        try {
            leavePage();
            app.stop();
        } finally {
            app = null;
        }
    }

    private void leavePage() {
        try {
            driver.switchTo().alert().dismiss();
        } catch (NoAlertPresentException e) {
            // none open
        }
        driver.get("about:blank");
    }

    /**
     * Opens the page (path may carry ?query and #hash) through the token address and waits until it
     * has started.
     */
    void open(String pathAndHash) {
        openUrl(base + withToken(pathAndHash));
    }

    /** As {@link #open}, without waiting for the page to start (a test that holds its start back). */
    void openWithoutWaiting(String pathAndHash) {
        driver.get("about:blank");
        driver.get(base + withToken(pathAndHash));
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

    /**
     * Follows a lesson of the Learn menu as a reader does: opens the menu and clicks the lesson's
     * link, which reloads the page into the lesson's view; waits until the page has started, then
     * stops the greeting it writes (see {@link #QUIET}), which the lesson's link does not quieten.
     */
    void followLesson(String lesson) {
        script("document.getElementById('learn').open = false; scrollTo(0, 0)");
        find("#learn summary").click();
        WebElement link = find("#lessons a[data-lesson='" + lesson + "']");
        assertTrue(link.isDisplayed(), lesson + ": the link is shown");
        script("document.body.dataset.ready = 'reloading'");
        link.click();
        waitUntil(Duration.ofSeconds(20), d -> "true".equals(attribute("body", "data-ready")));
        script("const stop = document.getElementById('stop-button'); if (!stop.disabled) stop.click()");
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

    /** Every line of a Chart.js chart as (x, y) points (a gap, y null, as y = -1), read from the chart itself. */
    @SuppressWarnings("unchecked")
    List<List<double[]>> chartLines(String canvasId) {
        List<List<List<Number>>> raw = (List<List<List<Number>>>) script(
                "return Chart.getChart(document.getElementById(arguments[0])).data.datasets"
                        + ".map(d => d.data.map(p => [p.x, p.y == null ? -1 : p.y]))", canvasId);
        return raw.stream().map(line -> line.stream()
                .map(p -> new double[] {p.get(0).doubleValue(), p.get(1).doubleValue()}).toList()).toList();
    }

    /** The labels of a Chart.js chart's lines. */
    @SuppressWarnings("unchecked")
    List<String> chartLabels(String canvasId) {
        return (List<String>) script("return Chart.getChart(document.getElementById(arguments[0])).data.datasets.map(d => d.label)", canvasId);
    }

    /**
     * In a phone-sized window (at most 400 px): the page does not scroll sideways and nothing in the
     * view ({@code viewCss} and everything inside it) reaches past the window's right edge.
     */
    void assertFitsAPhone(String viewCss) {
        long inner = (Long) script("return window.innerWidth");
        // Chart.js resizes its canvases from a ResizeObserver, a frame or more after the window
        // shrinks: a phone that loads the page at its width never sees the wider layout, so the
        // check waits (at most 5 s) for the layout to follow the window before it measures.
        try {
            waitUntil(Duration.ofSeconds(5), d -> (Long) script("return document.documentElement.scrollWidth") <= inner);
        } catch (org.openqa.selenium.TimeoutException stillWide) {
            // measured below, with the widest element named
        }
        long width = (Long) script("return document.documentElement.scrollWidth");
        assertTrue(inner <= 400 && width <= inner,
                "the page is " + width + " px wide in a " + inner + " px window; widest: " + script(
                        "const e = [...document.querySelectorAll('body *')].reduce((a, b) =>"
                        + " b.getBoundingClientRect().right > a.getBoundingClientRect().right ? b : a);"
                        + " return e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)"));
        Number right = (Number) script("return Math.max(...[...document.querySelectorAll(arguments[0])]"
                + ".map(e => e.getBoundingClientRect().right))", viewCss);
        assertTrue(right.doubleValue() <= inner, viewCss + " reaches " + right + " px");
    }

    /**
     * Polls {@code condition} every 100 ms until it holds. Each poll is two or three round trips
     * through the driver into the page: work for the browser, on the same two cores as the page and
     * the server. Three page-test classes took 62-71 s polling every 25 ms and 60-64 s every 100 ms
     * (three runs each, alternately).
     */
    <T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition);
    }

    <T> T waitUntil(Function<WebDriver, T> condition) {
        return waitUntil(Duration.ofSeconds(15), condition);
    }

    /** For {@link #standalone} sessions: stops the server and quits the browser. */
    @Override
    public void close() {
        try {
            stopServer();
        } finally {
            chromium.close();
        }
    }

    /** One headless Chromium and its driver. */
    private static final class Chromium implements AutoCloseable {

        final ChromeDriver driver;

        Chromium() {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=" + WINDOW.width + "," + WINDOW.height,
                    // a page left for the next is ended, not kept (and computing) for a Back press
                    "--disable-back-forward-cache", "--disable-features=BackForwardCache");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver")))
                    .usingAnyFreePort()
                    .build();
            driver = new ChromeDriver(service, options);
        }

        /** The run's Chromium, started on first use and again if it has died; quit when the run ends. */
        static Chromium shared(ExtensionContext context) {
            ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(Chromium.class));
            Chromium existing = store.get(Chromium.class, Chromium.class);
            if (existing != null && existing.alive()) return existing;
            if (existing != null) existing.close();
            Chromium started = new Chromium();
            store.put(Chromium.class, started);
            return started;
        }

        private boolean alive() {
            try {
                driver.getWindowHandle();
                return true;
            } catch (WebDriverException e) {
                return false;
            }
        }

        @Override
        public void close() {
            try {
                driver.quit();
            } catch (WebDriverException e) {
                // already gone
            }
        }
    }
}
