package dev.rnnplayground.server.job.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What the database holds for a job, read straight from its tables, so that a test can compare
 * what a worker wrote with what the web node shows: one column of a row, and the model's bytes.
 */
final class StoredJob {

    private StoredJob() {
    }

    /** The first column of the first row {@code sql} finds for {@code key} (its one {@code ?}), as text; null when none. */
    static String query(Database db, String sql, String key) {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The model's file as the worker stored it (the large object {@code model_oid} names). */
    static byte[] model(Database db, String jobId) throws SQLException {
        String oid = query(db, "SELECT model_oid::text FROM rnn_jobs WHERE id = ?", jobId);
        if (oid == null) throw new AssertionError("job " + jobId + " has no model in the database");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);   // large objects are read inside a transaction
            try {
                return LargeObjects.read(c, Long.parseLong(oid), "the model");
            } finally {
                c.rollback();
            }
        }
    }
}
