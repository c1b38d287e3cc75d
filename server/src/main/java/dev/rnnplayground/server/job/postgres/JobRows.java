package dev.rnnplayground.server.job.postgres;

import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.job.ProgressHistory;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/**
 * The web node's reads of the jobs workers train ({@code rnn serve --database}): where each job
 * stands and what it reported since the web node last looked, read together so the two agree; the
 * trained model, streamed out of its large object; and a cancel. The workers' side writes all of
 * this under the {@link Fence}; the web node only reads, except for a cancel.
 */
public final class JobRows {

    /**
     * A job's row as the web node follows it.
     *
     * @param record          the {@code Job} as JSON, as it was queued
     * @param status          {@code JobStatus.id()}, as the worker last wrote it
     * @param cancelRequested a user asked to cancel it; the worker stops at its next step
     * @param modelOid        the trained model's large object, or null before the job stored one
     * @param modelId         the id the model is listed under, or null
     */
    public record Row(String id, String record, String status, boolean cancelRequested, Long modelOid, String modelId) {
    }

    /** One look at a job: its row and its events after the id asked for, from one snapshot. */
    public record Seen(Row row, List<ProgressHistory.Event> events) {
    }

    private static final String ROW = "SELECT id, record::text, status, cancel_requested, model_oid, model_id FROM rnn_jobs";

    private final Database db;

    public JobRows(Database db) {
        this.db = db;
    }

    /** Every job with its whole history, oldest first: what a web node starts from. */
    public List<Seen> all() throws SQLException {
        return inSnapshot(c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(ROW + " ORDER BY created_at, id"); ResultSet r = s.executeQuery()) {
                while (r.next()) rows.add(row(r));
            }
            List<Seen> seen = new ArrayList<>();
            for (Row row : rows) seen.add(new Seen(row, Events.after(c, row.id(), 0)));
            return seen;
        });
    }

    /**
     * The rows of the jobs in {@code afterIds} (job id to the last event id the web node holds)
     * and the events after those ids, from one snapshot: a final event is never seen without the
     * model and status the worker wrote in its transaction. A job missing from the table is missing here.
     */
    public Map<String, Seen> look(Map<String, Long> afterIds) throws SQLException {
        return inSnapshot(c -> {
            Map<String, Seen> seen = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement(ROW + " WHERE id = ANY (?)")) {
                s.setArray(1, c.createArrayOf("text", afterIds.keySet().toArray()));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Row row = row(r);
                        // queued jobs have reported nothing yet: one query for the rows, one per job that has begun
                        List<ProgressHistory.Event> events = row.status().equals("queued") ? List.of()
                                : Events.after(c, row.id(), afterIds.get(row.id()));
                        seen.put(row.id(), new Seen(row, events));
                    }
                }
            }
            return seen;
        });
    }

    /**
     * Asks a worker to stop the job ({@code cancel_requested}). A job no worker has picked yet is
     * taken off the queue and marked cancelled at once, with {@code finalEvent} as its last event,
     * all in one transaction: the queue row is deleted only while unpicked, so a worker claiming it
     * at the same moment either gets it (and sees the request) or finds nothing.
     *
     * @return true when the job was cancelled at once, false when a worker has it (or it had ended)
     */
    public boolean cancel(String jobId, Map<String, Object> finalEvent) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try {
                // the queue row first, then the job's: the order a worker's fenced writes lock them in, so no deadlock
                int unqueued;
                try (PreparedStatement s = c.prepareStatement(
                        "DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? AND NOT picked")) {
                    s.setString(1, Lease.TASK);
                    s.setString(2, jobId);
                    unqueued = s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("UPDATE rnn_jobs SET cancel_requested = true"
                        + (unqueued == 1 ? ", status = 'cancelled'" : "") + " WHERE id = ?")) {
                    s.setString(1, jobId);
                    s.executeUpdate();
                }
                if (unqueued == 1) {
                    // no worker holds the job, and its queue row, locked by the delete, is gone: no other writer
                    Events.insert(c, jobId, "cancelled", finalEvent);
                }
                c.commit();
                return unqueued == 1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Hands the bytes of a job's model to {@code store} as a stream, read in chunks from its large
     * object (never a whole {@code bytea} in memory), and returns what {@code store} returns.
     */
    public <T> T readModel(long oid, Function<InputStream, T> store) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);   // large objects live in a transaction
            try {
                LargeObject lo = c.unwrap(PGConnection.class).getLargeObjectAPI().open(oid, LargeObjectManager.READ);
                try (InputStream in = lo.getInputStream()) {
                    return store.apply(in);
                } catch (IOException e) {
                    throw new SQLException("reading model object " + oid + " failed", e);
                }
            } finally {
                c.rollback();   // read only
            }
        }
    }

    private interface Reads<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code reads} in one repeatable-read transaction: every query sees the same committed state. */
    private <T> T inSnapshot(Reads<T> reads) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return reads.run(c);
            } finally {
                c.rollback();   // read only
            }
        }
    }

    private static Row row(ResultSet r) throws SQLException {
        long oid = r.getLong(5);
        Long modelOid = r.wasNull() ? null : oid;
        return new Row(r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4), modelOid, r.getString(6));
    }
}
