package dev.rnnplayground.server.access;

import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.common.Jackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learners' tokens, one per name, kept in {@code DATA_DIR/tokens.json}: the one place that
 * knows where they are stored (a database could keep them instead, behind the same four methods).
 * {@code rnn token add} writes the file and the running server reads it again whenever it changed,
 * so a token works as soon as the command returns, without a restart, and a removed one stops.
 *
 * <p>Only each token's SHA-256 is stored, never the token: a copy of the file lets no one in. A
 * fast hash is enough because the tokens are 32 random bytes, not passwords: bcrypt or Argon2 make
 * each guess slow to protect a guessable secret, but 2^256 guesses stay out of reach at any speed,
 * while a slow hash would cost ~100 ms on every request the page sends.
 */
public final class LearnerTokens {

    private static final Logger LOG = LoggerFactory.getLogger(LearnerTokens.class);
    public static final String FILE = "tokens.json";
    static final String FORMAT = "rnn-playground learner tokens";
    static final int VERSION = 1;
    /** 256 bits: as many as the hash keeps. */
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What {@code rnn token list} shows: no secret, not even the hash. */
    public record Learner(String name, String createdAt) {
    }

    /** One line of the file. */
    record Stored(String name, String sha256, String createdAt) {
    }

    /** The file: its format and version first, so that a newer one is refused in words. */
    record Contents(String format, int version, List<Stored> learners) {
    }

    /** What was read, and which version of the file it came from (its inode, time and size). */
    private record Snapshot(Object fileKey, long modifiedNanos, long size, List<Stored> learners) {
        static final Snapshot NONE = new Snapshot(null, -1, -1, List.of());
    }

    private final Path file;
    private volatile Snapshot snapshot = Snapshot.NONE;

    public LearnerTokens(Path dataDir) {
        this.file = dataDir.resolve(FILE);
    }

    /**
     * The learner a token belongs to, if any. Compares the token's hash with every stored one, in
     * constant time and to the end of the list, so the time taken tells nothing about which came close.
     */
    public Optional<String> learnerOf(String token) {
        if (token == null || token.isEmpty()) return Optional.empty();
        byte[] hash = sha256(token);
        String found = null;
        for (Stored s : current()) {
            if (MessageDigest.isEqual(hash, HexFormat.of().parseHex(s.sha256())) && found == null) found = s.name();
        }
        return Optional.ofNullable(found);
    }

    /** Makes a token for a new learner, stores its hash and returns the token: the only time it is seen. */
    public String add(String name) {
        checkName(name);
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        change(file, learners -> {
            if (learners.stream().anyMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("there is already a token for '" + name + "'; remove it first to make a new one");
            }
            learners.add(new Stored(name, HexFormat.of().formatHex(sha256(token)),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        });
        return token;
    }

    /** Removes a learner's token; what they made stays (the teacher still sees it). False when there was none. */
    public boolean remove(String name) {
        boolean[] removed = {false};
        change(file, learners -> removed[0] = learners.removeIf(s -> s.name().equals(name)));
        return removed[0];
    }

    /** The learners, oldest first. */
    public List<Learner> list() {
        return readFile(file).stream().map(s -> new Learner(s.name(), s.createdAt())).toList();
    }

    /** Refuses a name that is not 1 to 40 letters, digits, '-', '_' or '.'. */
    public static void checkName(String name) {
        if (name == null || !Identity.NAME.matcher(name).matches()) throw new IllegalArgumentException(Identity.nameRule(name));
    }

    /**
     * The tokens as the file holds them now: one stat per call, the file read again only when
     * another one took its place. A file that cannot be read lets no learner in (the teacher's
     * token still works), so a removed token never outlives a damaged file.
     */
    private List<Stored> current() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException none) {
            snapshot = Snapshot.NONE;
            return List.of();
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; no learner token is accepted until it can be", file, e.toString());
            return List.of();
        }
        Snapshot s = snapshot;
        long modified = attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        // a file changed in the last two seconds is read again anyway: a file system's clock ticks in
        // milliseconds, and a freed inode number comes back, so two quick writes of one size could look alike
        boolean settled = System.currentTimeMillis() * 1_000_000 - modified > 2_000_000_000L;
        if (settled && Objects.equals(s.fileKey(), attributes.fileKey()) && s.modifiedNanos() == modified && s.size() == attributes.size()) {
            return s.learners();
        }
        try {
            List<Stored> learners = readFile(file);
            snapshot = new Snapshot(attributes.fileKey(), modified, attributes.size(), learners);
            if (!learners.equals(s.learners())) LOG.info("read {} learner tokens from {}", learners.size(), file);
            return learners;
        } catch (RuntimeException e) {
            // remembered as empty, so the warning is logged once per version of the file, not per request
            snapshot = new Snapshot(attributes.fileKey(), modified, attributes.size(), List.of());
            LOG.warn("cannot read {}: {}; no learner token is accepted until it is mended", file, e.getMessage());
            return List.of();
        }
    }

    private static List<Stored> readFile(Path file) {
        if (!Files.exists(file)) return List.of();
        Contents c = Jackson.read(file, Contents.class);
        if (!FORMAT.equals(c.format()) || c.version() != VERSION) {
            throw new IllegalStateException(file + " is '" + c.format() + "' version " + c.version()
                    + "; this rnn reads '" + FORMAT + "' version " + VERSION);
        }
        List<Stored> learners = c.learners() == null ? List.of() : c.learners();
        for (Stored s : learners) {
            checkName(s.name());
            if (s.sha256() == null || !s.sha256().matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(file + ": the hash of '" + s.name() + "' is not 64 hex digits");
            }
        }
        return List.copyOf(learners);
    }

    /**
     * Reads, changes and writes the file under a lock on {@code tokens.lock}, so that two
     * {@code rnn token add} run at once both land; the write is atomic, so the server reads the
     * old list or the new one, never half. The file lock is the process's, so threads of one
     * process take turns first (a second lock from the same process would be refused).
     */
    private static synchronized void change(Path file, java.util.function.Consumer<List<Stored>> edit) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lockFile = FileChannel.open(file.resolveSibling("tokens.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                List<Stored> learners = new ArrayList<>(readFile(file));
                edit.accept(learners);
                AtomicFiles.write(file, Jackson.toBytes(new Contents(FORMAT, VERSION, learners)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not change " + file, e);
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
