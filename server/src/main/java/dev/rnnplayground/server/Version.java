package dev.rnnplayground.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, filtered into {@code rnn-version.properties} by Maven. */
public final class Version {

    private Version() {
    }

    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("/rnn-version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
