package dev.rnnplayground.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.server.Main;
import dev.rnnplayground.server.ServerProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code rnn serve}'s token comes from, and that it is printed in the address but never on the command line. */
class ServeTokenTest {

    @TempDir
    Path data;

    @Test
    void aRandomTokenIsMadeAndPrintedInTheAddress() throws Exception {
        try (ServerProcess server = ServerProcess.start(data)) {
            assertTrue(server.token() != null && server.token().matches("[0-9a-f]{48}"), String.join("\n", server.output()));
            assertFalse(server.commandLine().contains(server.token()));
            assertEquals(401, status(server.origin() + "/api/models"));
            assertEquals(200, status(server.origin() + "/api/models?token=" + server.token()));
            assertEquals(5, server.api().get("/api/models").size(), "the shipped LSTM, vanilla RNN, GRU, GPT and LSTM that attends");
        }
    }

    @Test
    void theTokenIsKeptInTheDataDirectoryForTheNextStartUnlessANewOneIsAsked() throws Exception {
        String first;
        try (ServerProcess server = ServerProcess.start(data)) {
            first = server.token();
        }
        Path kept = data.resolve(AccessToken.KEPT_FILE);
        assertEquals(first, Files.readString(kept).strip());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(kept), "the owner's alone");
        try (ServerProcess again = ServerProcess.start(data)) {
            assertEquals(first, again.token(), "an open page and a saved link still work after a restart");
        }
        try (ServerProcess renewed = ServerProcess.start(data, Map.of(), "--new-token")) {
            assertTrue(renewed.token().matches("[0-9a-f]{48}") && !renewed.token().equals(first), renewed.token());
            assertEquals(renewed.token(), Files.readString(kept).strip(), "the new token replaces the kept one");
            assertEquals(401, status(renewed.origin() + "/api/models?token=" + first));
        }
    }

    @Test
    void theTokenComesFromAFileOrTheEnvironmentNotTheCommandLine() throws Exception {
        Path file = data.resolve("token.txt");
        Files.writeString(file, "from-the-file\n");
        try (ServerProcess server = ServerProcess.start(data.resolve("a"), Map.of(), "--token-file", file.toString())) {
            assertEquals("from-the-file", server.token());
            assertFalse(server.commandLine().contains("from-the-file"));
            assertEquals(200, status(server.origin() + "/api/corpora?token=from-the-file"));
        }
        try (ServerProcess server = ServerProcess.start(data.resolve("b"), Map.of("RNN_TOKEN", "from-the-environment"))) {
            assertEquals("from-the-environment", server.token());
            assertFalse(Files.exists(data.resolve("b").resolve(AccessToken.KEPT_FILE)), "a given token is not kept");
            assertEquals(401, status(server.origin() + "/api/corpora"));
        }
    }

    @Test
    void noTokenKeepsTheLoopbackServerOpen() throws Exception {
        try (ServerProcess server = ServerProcess.start(data, Map.of(), "--no-token")) {
            assertNull(server.token());
            assertEquals(200, status(server.origin() + "/api/corpora"));
        }
    }

    @Test
    void noTokenOnAnOpenAddressOrTwoSourcesAreRefused() {
        assertEquals(2, serve("--host", "0.0.0.0", "--no-token"));
        assertTrue(err.toString().contains("makes the server reachable from other machines"), err.toString());
        assertEquals(2, serve("--token-file", data.resolve("t").toString(), "--no-token"));
        assertTrue(err.toString().contains("not both"), err.toString());
        assertEquals(1, serve("--port", "0", "--token-file", data.resolve("missing").toString()));
        assertTrue(err.toString().contains("cannot read the token file"), err.toString());
    }

    private final StringWriter err = new StringWriter();

    private int serve(String... options) {
        err.getBuffer().setLength(0);
        String[] args = new String[options.length + 3];
        args[0] = "serve";
        args[1] = "--data";
        args[2] = data.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    }

    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
