package dev.rnnplayground.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.access.LearnerTokens;
import dev.rnnplayground.server.common.Jackson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn token add|list|remove}: what each prints, the names it refuses, and that only a
 * token's hash reaches the disk; the store behind them re-reads its file when another process
 * changed it, and refuses a file it does not understand in words.
 */
class TokenCommandTest {

    @TempDir
    Path data;

    private Rnn.Run token(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "token";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = data.toString();
        return Rnn.run(all);
    }

    @Test
    void addPrintsATokenOnceAndOnlyItsHashIsKept() throws Exception {
        Rnn.Run alice = token("add", "alice");
        assertEquals(0, alice.exit(), alice.err());
        String aliceToken = alice.out().strip();
        assertTrue(aliceToken.matches("[0-9a-f]{64}"), "32 random bytes in hex, alone on stdout: " + alice.out());
        assertTrue(alice.err().contains("?token="), alice.err());
        String bobToken = token("add", "bob.smith_2").out().strip();
        assertFalse(aliceToken.equals(bobToken));

        // the file holds each token's SHA-256, and no file in the data directory holds a token
        JsonNode file = Jackson.MAPPER.readTree(data.resolve(LearnerTokens.FILE).toFile());
        assertEquals("rnn-playground learner tokens", file.get("format").asText());
        assertEquals(1, file.get("version").asInt());
        assertEquals(sha256(aliceToken), file.get("learners").get(0).get("sha256").asText());
        assertEquals("bob.smith_2", file.get("learners").get(1).get("name").asText());
        for (String t : List.of(aliceToken, bobToken)) {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(t), p + " holds a token in clear");
                }
            }
        }

        // list: names and times, no secret
        Rnn.Run list = token("list");
        assertEquals(0, list.exit());
        List<String> lines = list.out().lines().toList();
        assertEquals(2, lines.size(), list.out());
        assertTrue(lines.get(0).matches("alice {8}\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), lines.get(0));
        assertTrue(lines.get(1).startsWith("bob.smith_2  "), lines.get(1));
        assertFalse(list.out().contains(sha256(aliceToken).substring(0, 16)), "not even the hash is shown");

        // the store answers for a token by its hash; a removed one is gone
        LearnerTokens store = new LearnerTokens(data);
        assertEquals(Optional.of("alice"), store.learnerOf(aliceToken));
        assertEquals(Optional.empty(), store.learnerOf(sha256(aliceToken)), "the stored hash is not a token");
        assertEquals(0, token("remove", "alice").exit());
        assertEquals(Optional.empty(), store.learnerOf(aliceToken), "the file is read again after another process changed it");
        assertEquals(Optional.of("bob.smith_2"), store.learnerOf(bobToken));
        assertEquals("bob.smith_2", token("list").out().strip().split(" ")[0]);
    }

    @Test
    void badNamesTakenNamesAndUnknownNamesAreOneLineEach() {
        for (String bad : List.of("two words", "", "x".repeat(41), "élève", "a/b")) {
            Rnn.Run r = token("add", bad);
            assertEquals(1, r.exit(), bad);
            assertEquals("rnn token add: a learner's name is 1 to 40 letters, digits, '-', '_' or '.'; got '" + bad + "'",
                    r.err().strip());
        }
        assertEquals(0, token("add", "x".repeat(40)).exit());
        assertEquals(0, token("add", "carol").exit());
        Rnn.Run again = token("add", "carol");
        assertEquals(1, again.exit());
        assertEquals("rnn token add: there is already a token for 'carol'; remove it first to make a new one", again.err().strip());
        assertEquals("", again.out(), "no token is printed for a refused name");
        Rnn.Run unknown = token("remove", "dave");
        assertEquals(1, unknown.exit());
        assertEquals("rnn token remove: no learner named 'dave' has a token", unknown.err().strip());
        assertEquals(2, Rnn.run("token").exit(), "a subcommand is needed");

        Rnn.Run empty = Rnn.run("token", "list", "--data", data.resolve("fresh").toString());
        assertEquals(0, empty.exit());
        assertEquals("", empty.out());
        assertTrue(empty.err().contains("no learner has a token"), empty.err());

        Rnn.Run cap = Rnn.run("serve", "--data", data.toString(), "--max-jobs-per-learner", "0");
        assertEquals(2, cap.exit());
        assertTrue(cap.err().contains("--max-jobs-per-learner must be at least 1"), cap.err());
    }

    @Test
    void aFileOfAnotherVersionIsRefusedInWordsAndLetsNoLearnerIn() throws IOException {
        String token = new LearnerTokens(data).add("alice");
        Path file = data.resolve(LearnerTokens.FILE);
        Files.writeString(file, Files.readString(file).replace("\"version\" : 1", "\"version\" : 2"));
        Rnn.Run list = token("list");
        assertEquals(1, list.exit());
        assertTrue(list.err().strip().endsWith("is 'rnn-playground learner tokens' version 2; this rnn reads"
                + " 'rnn-playground learner tokens' version 1"), list.err());
        assertEquals(Optional.empty(), new LearnerTokens(data).learnerOf(token), "a file the server cannot read lets no learner in");
    }

    @Test
    void addsAtOnceAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> made = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "learner-" + i;
            made.add(pool.submit(() -> new LearnerTokens(data).add(name)));   // each its own store, as each command is
        }
        LearnerTokens store = new LearnerTokens(data);
        for (int i = 0; i < 20; i++) assertEquals(Optional.of("learner-" + i), store.learnerOf(made.get(i).get()));
        pool.shutdown();
        assertEquals(20, store.list().size());
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
