package dev.rnnplayground.server.cli;

import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.http.AccessGuard;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * Where {@code rnn serve}'s access token comes from: a file, else the {@code RNN_TOKEN}
 * environment variable, else the token kept in the data directory by an earlier start, else a new
 * random one, which is kept there for the next start. Never from the command line, which every
 * user of the machine can read with {@code ps}.
 *
 * <p>Keeping the token (as Jupyter does when asked) means a restart does not break an open page or
 * a saved link. The kept file {@value #KEPT_FILE} is readable by its owner only (0600), like the
 * data directory around it; {@code --new-token} replaces it.
 */
final class AccessToken {

    /** The file in the data directory that keeps the random token from one start to the next. */
    static final String KEPT_FILE = "token";

    private AccessToken() {
    }

    /**
     * The token to serve with.
     *
     * @param newToken make a new random token even if one is kept (it then replaces the kept one)
     * @param warnings where to say that the token could not be kept (the server serves anyway)
     */
    static String choose(Path tokenFile, String fromEnvironment, Path dataDir, boolean newToken, PrintWriter warnings) {
        if (tokenFile != null) return firstLine(tokenFile, "token file");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) return fromEnvironment.strip();
        Path kept = dataDir.resolve(KEPT_FILE);
        if (!newToken && Files.isRegularFile(kept)) return firstLine(kept, "kept token file (start with --new-token to replace it)");
        String token = AccessGuard.newToken();
        try {
            keep(kept, token);
        } catch (IOException | UncheckedIOException e) {
            warnings.println("rnn serve: could not keep the token in " + kept + " (" + e.getClass().getSimpleName()
                    + "); the next start will make a new one");
        }
        return token;
    }

    private static String firstLine(Path file, String what) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read the " + what + " " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        String token = lines.isEmpty() ? "" : lines.get(0).strip();
        if (token.isEmpty()) throw new UserError("the " + what + " " + file + " is empty");
        return token;
    }

    /** Writes the token into a new file that is the owner's alone from its first byte, then renames it into place. */
    private static void keep(Path kept, String token) throws IOException {
        Files.createDirectories(kept.getParent());
        Path temp = kept.resolveSibling(AtomicFiles.TEMP_PREFIX + UUID.randomUUID());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try {
            Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
            AtomicFiles.move(temp, kept);
        } finally {
            Files.deleteIfExists(temp);   // gone already once moved; a leftover only after a failure
        }
    }
}
