package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.Tmpfs;
import dev.rnnplayground.server.http.AccessGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training panel shows a job's warning while it is set: the real server's data directory is a
 * tmpfs, remounted read-only under a running job, so its next checkpoint cannot be written; once
 * the disk is writable again the next checkpoint clears the line. Needs root (the mount).
 */
class TrainWarningPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.serverPerTest();

    @TempDir
    Path mountPoint;
    private boolean mounted;

    @AfterEach
    void unmount() throws Exception {
        browser.stopServer();   // before the unmount: the server holds files on the tmpfs
        if (mounted) Tmpfs.unmount(mountPoint);
    }

    @Test
    void aCheckpointTheDiskRefusesIsOneLineInTheTrainingPanelUntilItClears() throws Exception {
        // room for the five shipped models (12 MB) and the run; the disk fails when it is remounted read-only
        assumeTrue(Tmpfs.mount(mountPoint, "size=16m"), Tmpfs.NEEDS_ROOT);
        mounted = true;
        browser.serve(ServerConfig.defaults(Files.createDirectories(mountPoint.resolve("data"))).withToken(AccessGuard.newToken()));
        PageApi api = new PageApi(browser);
        String corpusId = api.postText("/api/corpora?name=sonnet.txt", TestTexts.VERSE).get("id").asText();
        String jobId = api.post("/api/jobs", Map.of("corpusId", corpusId, "cell", "rnn", "hidden", 16, "seqLength", 16,
                "batchSize", 2, "steps", 1_000_000, "evalEvery", 0, "sampleEvery", 0, "checkpointEvery", 10), 202).get("id").asText();
        String job = "/api/jobs/" + jobId;
        browser.open("/#" + BrowserSession.QUIET);   // the page picks up the running job and follows its event stream
        browser.waitUntil(Duration.ofSeconds(60), d -> browser.text("#train-status").startsWith("step "));
        assertTrue(browser.find("#train-warning").getDomProperty("hidden").equals("true"));

        Tmpfs.remount(mountPoint, "ro");
        // every failed checkpoint renews the warning (a later step), so page and API are compared in
        // the same poll, until one poll finds them saying the same
        String warning = browser.waitUntil(Duration.ofSeconds(60), d -> {
            String shown = browser.text("#train-warning");
            if (!shown.startsWith("Checkpoint at step") || !browser.find("#train-warning").isDisplayed()) return null;
            return shown.equals(api.get(job).path("warning").asText()) ? shown : null;
        });
        assertTrue(warning.contains("could not be written"), "the page shows the job's own warning: " + warning);

        Tmpfs.remount(mountPoint, "rw");
        browser.waitUntil(Duration.ofSeconds(60), d -> !browser.find("#train-warning").isDisplayed());
        assertTrue(api.get(job).path("warning").isNull());
        assertEquals("running", api.get(job).get("status").asText());
        api.post(job + "/cancel", Map.of());
    }
}
