package dev.rnnplayground.server.job.postgres;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

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

    private static final int CHUNK = 64 * 1024;

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
            LargeObjectManager objects = c.unwrap(PGConnection.class).getLargeObjectAPI();
            long oid = objects.createLO(LargeObjectManager.READWRITE);
            LargeObject lo = objects.open(oid, LargeObjectManager.WRITE);
            try (OutputStream out = lo.getOutputStream()) {
                for (int at = 0; at < checkpoint.length; at += CHUNK) {
                    out.write(checkpoint, at, Math.min(CHUNK, checkpoint.length - at));
                }
            } catch (IOException e) {
                throw new SQLException("writing the checkpoint of job " + lease.jobId() + " failed", e);
            }
            Long previous = null;
            try (PreparedStatement s = c.prepareStatement("SELECT checkpoint_oid FROM rnn_jobs WHERE id = ? FOR UPDATE")) {
                s.setString(1, lease.jobId());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) throw new SQLException("no job " + lease.jobId() + " in rnn_jobs");
                    long old = r.getLong(1);
                    if (!r.wasNull()) previous = old;
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE rnn_jobs SET checkpoint_oid = ?, checkpoint_step = ? WHERE id = ?")) {
                s.setLong(1, oid);
                s.setLong(2, step);
                s.setString(3, lease.jobId());
                s.executeUpdate();
            }
            if (previous != null) objects.unlink(previous);
            return null;
        });
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
                    LargeObject lo = c.unwrap(PGConnection.class).getLargeObjectAPI().open(oid, LargeObjectManager.READ);
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (InputStream in = lo.getInputStream()) {
                        in.transferTo(bytes);
                    } catch (IOException e) {
                        throw new SQLException("reading the checkpoint of job " + jobId + " failed", e);
                    }
                    return Optional.of(new Stored(step, bytes.toByteArray()));
                }
            } finally {
                c.rollback();   // read only: nothing to keep
            }
        }
    }
}
