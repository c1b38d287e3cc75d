package dev.rnnplayground.server.job.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Jobs' checkpoints in PostgreSQL, one large object per job (the bytes {@code Checkpoint.write}
 * makes). Writing one and moving the job's pointer to it is one transaction, fenced by the
 * writer's {@link Lease}: a crash mid-write leaves the previous checkpoint in place, and a worker
 * that lost the job writes nothing. The bytes move in chunks through the large-object API; the
 * driver never holds a whole {@code bytea}.
 */
public final class Checkpoints {

    /** What a resumed job starts from. */
    public record Stored(long step, byte[] bytes) {
    }

    private final Database db;

    public Checkpoints(Database db) {
        this.db = db;
    }

    /**
     * Stores {@code checkpoint} as the job's checkpoint at {@code step} and deletes the one it replaces.
     *
     * @throws LeaseLostException when another worker holds the job now; nothing is written
     */
    public void save(Lease lease, long step, byte[] checkpoint) throws SQLException {
        Fence.write(db, lease, c -> {
            long oid = LargeObjects.write(c, checkpoint, "the checkpoint of job " + lease.jobId());
            Long previous = lockPointer(c, lease.jobId());
            try (PreparedStatement s = c.prepareStatement("UPDATE rnn_jobs SET checkpoint_oid = ?, checkpoint_step = ? WHERE id = ?")) {
                s.setLong(1, oid);
                s.setLong(2, step);
                s.setString(3, lease.jobId());
                s.executeUpdate();
            }
            if (previous != null) LargeObjects.delete(c, previous);
            return null;
        });
    }

    /**
     * Deletes the job's checkpoint in the caller's (fenced) transaction: a job that ended has
     * nothing to resume from.
     */
    static void delete(Connection c, String jobId) throws SQLException {
        Long previous = lockPointer(c, jobId);
        try (PreparedStatement s = c.prepareStatement("UPDATE rnn_jobs SET checkpoint_oid = NULL, checkpoint_step = NULL WHERE id = ?")) {
            s.setString(1, jobId);
            s.executeUpdate();
        }
        if (previous != null) LargeObjects.delete(c, previous);
    }

    /** Locks the job's row and returns its checkpoint's large object, or null when it has none. */
    private static Long lockPointer(Connection c, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT checkpoint_oid FROM rnn_jobs WHERE id = ? FOR UPDATE")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) throw new SQLException("no job " + jobId + " in rnn_jobs");
                long old = r.getLong(1);
                return r.wasNull() ? null : old;
            }
        }
    }

    /** The job's last checkpoint, or empty when it has none yet. */
    public Optional<Stored> read(String jobId) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("SELECT checkpoint_oid, checkpoint_step FROM rnn_jobs WHERE id = ?")) {
                s.setString(1, jobId);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) return Optional.empty();
                    long oid = r.getLong(1);
                    if (r.wasNull()) return Optional.empty();
                    long step = r.getLong(2);
                    return Optional.of(new Stored(step, LargeObjects.read(c, oid, "the checkpoint of job " + jobId)));
                }
            } finally {
                c.rollback();   // read only: nothing to keep
            }
        }
    }
}
