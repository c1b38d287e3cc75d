package dev.rnnplayground.server.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The {@code createdAt} of corpora, jobs and models: the wall-clock time, but never equal to or
 * before the previous one this server handed out (one microsecond later instead). Lists sort
 * newest first by it, so two uploads in the same clock tick still list in the order they came.
 */
public final class CreationTime {

    private static Instant last = Instant.EPOCH;

    private CreationTime() {
    }

    /** The next creation time, as ISO-8601 text. */
    public static synchronized String next() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        last = now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS);
        return last.toString();
    }
}
