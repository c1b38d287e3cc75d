package dev.rnnplayground.server.job.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Every write a worker makes for a job goes through here: one transaction that first checks that
 * the job's queue row is still picked at the worker's lease version. The row stays locked until
 * the transaction ends, so the job cannot be revived and picked by another worker between the
 * check and the commit: at-least-once claims, but each result written once, by the holder.
 */
final class Fence {

    /** The writes of one fenced transaction. */
    interface Writes<T> {
        T run(Connection c) throws SQLException;
    }

    private Fence() {
    }

    /**
     * Runs {@code writes} in one transaction if {@code lease} still holds the job, and commits;
     * rolls everything back if anything throws.
     *
     * @throws LeaseLostException when another worker holds the job now; nothing is written
     */
    static <T> T write(Database db, Lease lease, Writes<T> writes) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);   // also what large objects need
            try {
                check(c, lease);
                T result = writes.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();   // a large object made meanwhile goes with it
                throw e;
            }
        }
    }

    private static void check(Connection c, Lease lease) throws SQLException {
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
