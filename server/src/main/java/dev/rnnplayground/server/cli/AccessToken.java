package dev.rnnplayground.server.cli;

import dev.rnnplayground.server.http.AccessGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code rnn serve}'s access token comes from: a file, else the {@code RNN_TOKEN}
 * environment variable, else a new random one. Never from the command line, which every user of
 * the machine can read with {@code ps}.
 */
final class AccessToken {

    private AccessToken() {
    }

    static String choose(Path tokenFile, String fromEnvironment) {
        if (tokenFile != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(tokenFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError("cannot read the token file " + tokenFile + " (" + e.getClass().getSimpleName() + ")");
            }
            String token = lines.isEmpty() ? "" : lines.get(0).strip();
            if (token.isEmpty()) throw new UserError("the token file " + tokenFile + " is empty");
            return token;
        }
        if (fromEnvironment != null && !fromEnvironment.isBlank()) return fromEnvironment.strip();
        return AccessGuard.newToken();
    }
}
