package dev.rnnplayground.server.job.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.job.ProgressHistory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job's events in PostgreSQL: what the worker training it reports (progress, samples, warnings,
 * the end), for the web node to stream. The worker's writes are fenced by its {@link Lease}, so a
 * worker that lost the job cannot add to the history of the worker that took it.
 */
public final class Events {

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    private final Database db;

    public Events(Database db) {
        this.db = db;
    }

    /** Adds an event at the end of the job's history; returns its id (1-based position). */
    public long append(Lease lease, String type, Map<String, Object> data) throws SQLException {
        return Fence.write(db, lease, c -> insert(c, lease.jobId(), type, data));
    }

    /**
     * Adds an event in the caller's fenced transaction: the last event of a job is written with its
     * model and status, all or nothing.
     */
    static long insert(Connection c, String jobId, String type, Map<String, Object> data) throws SQLException {
        String json;
        try {
            json = Jackson.MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not JSON: " + e.getMessage(), e);
        }
        // the fence's lock on the job's queue row (or the web node's, when it cancels a job no worker took) serialises its writers, so ids cannot collide
        try (PreparedStatement s = c.prepareStatement("INSERT INTO rnn_job_events (job_id, id, type, data)"
                + " SELECT ?, coalesce(max(id), 0) + 1, ?, ?::json FROM rnn_job_events WHERE job_id = ? RETURNING id")) {
            s.setString(1, jobId);
            s.setString(2, type);
            s.setString(3, json);
            s.setString(4, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * Deletes what was reported after {@code step} and any final event: a job resumed from its
     * checkpoint at {@code step} reports the rest again. Events are reported in step order, so
     * what goes is a suffix and the ids stay 1, 2, 3, …
     */
    public void truncateAfter(Lease lease, long step) throws SQLException {
        Fence.write(db, lease, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM rnn_job_events WHERE job_id = ?"
                    + " AND ((data->>'step')::bigint > ? OR type IN ('done', 'failed', 'cancelled'))")) {
                s.setString(1, lease.jobId());
                s.setLong(2, step);
                return s.executeUpdate();
            }
        });
    }

    /** The job's events after id {@code afterId}, in order: what an event stream sends next. */
    public List<ProgressHistory.Event> after(String jobId, long afterId) throws SQLException {
        try (Connection c = db.connect()) {
            return after(c, jobId, afterId);
        }
    }

    /** As {@link #after(String, long)}, on the caller's connection (and so in its transaction). */
    static List<ProgressHistory.Event> after(Connection c, String jobId, long afterId) throws SQLException {
        List<ProgressHistory.Event> events = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, type, data::text FROM rnn_job_events WHERE job_id = ? AND id > ? ORDER BY id")) {
            s.setString(1, jobId);
            s.setLong(2, afterId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    try {
                        events.add(new ProgressHistory.Event(r.getLong(1), r.getString(2), Jackson.MAPPER.readValue(r.getString(3), FIELDS)));
                    } catch (JsonProcessingException e) {
                        throw new SQLException("event " + r.getLong(1) + " of job " + jobId + " is not JSON", e);
                    }
                }
            }
        }
        return events;
    }
}
