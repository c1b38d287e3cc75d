package dev.rnnplayground.server.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a job has reported, in order: {@code progress} points, {@code sample}s, {@code warning}s
 * (a checkpoint that could not be written) and finally
 * {@code done}, {@code failed} or {@code cancelled}. A client that connects late replays it from
 * the start and then is sent what comes next ({@code EventStreams}). It stays small because the runner records a
 * progress point only every {@link dev.rnnplayground.server.training.TrainingLoop#strideFor stride} steps; it is saved with each checkpoint, and
 * on a restart cut back to the checkpoint's step, since training repeats from there.
 */
public final class ProgressHistory {

    /**
     * One thing a job reported.
     *
     * @param id   1-based position in the history; the SSE event id
     * @param type progress, sample, warning, done, failed or cancelled
     * @param data the event's fields; every event has {@code step}
     */
    public record Event(long id, String type, Map<String, Object> data) {
        boolean isFinal() {
            return type.equals("done") || type.equals("failed") || type.equals("cancelled");
        }

        long step() {
            Object s = data.get("step");
            return s instanceof Number n ? n.longValue() : 0;
        }
    }

    private final List<Event> events = new ArrayList<>();

    public ProgressHistory(List<Event> stored) {
        events.addAll(stored);
    }

    synchronized void add(String type, Map<String, Object> data) {
        events.add(new Event(events.size() + 1, type, data));
    }

    /** Drops what was reported after {@code step}: a resumed run reports it again. */
    synchronized void truncateAfter(long step) {
        events.removeIf(e -> e.step() > step || e.isFinal());
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e.id() != i + 1) events.set(i, new Event(i + 1, e.type(), e.data()));
        }
    }

    /** Forgets every event: a job whose worker cut its history back is read again from the start. */
    synchronized void clear() {
        events.clear();
    }

    /** The id of the last event, 0 when there is none. */
    synchronized long lastId() {
        return events.size();
    }

    public synchronized List<Event> all() {
        return List.copyOf(events);
    }

    public synchronized boolean isFinished() {
        return !events.isEmpty() && events.get(events.size() - 1).isFinal();
    }

    /** Whether the job has finished and a client that has seen event {@code lastSeenId} has seen it all. */
    public synchronized boolean endsAt(long lastSeenId) {
        return isFinished() && lastSeenId >= events.size();
    }

    /** The events after id {@code afterId}, at once: none when nothing new has happened. */
    public synchronized List<Event> after(long afterId) {
        if (events.size() <= afterId) return List.of();
        return List.copyOf(events.subList((int) Math.max(0, afterId), events.size()));
    }
}
