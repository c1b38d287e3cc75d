package dev.rnnplayground.server.job.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Every write a worker makes for a job starts with this check, in the write's own transaction:
 * the job's queue row must still be picked at the worker's lease version. The row stays locked
 * until the transaction ends, so the job cannot be revived and picked by another worker between
 * the check and the commit: at-least-once claims, but each result written once, by the holder.
 */
final class Fence {

    private Fence() {
    }

    /** Locks the job's queue row if {@code lease} still holds it; else throws, and the caller rolls back. */
    static void check(Connection c, Lease lease) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM scheduled_tasks"
                + " WHERE task_name = ? AND task_instance = ? AND version = ? AND picked FOR UPDATE")) {
            s.setString(1, Lease.TASK);
            s.setString(2, lease.jobId());
            s.setLong(3, lease.version());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) throw new LeaseLostException(lease);
            }
        }
    }
}
