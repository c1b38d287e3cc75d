package dev.rnnplayground.server.job.postgres;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/**
 * Checkpoints and models as PostgreSQL large objects, moved in 64 KiB chunks: the JDBC driver reads
 * a {@code bytea} whole into memory, a large object it streams. Every call runs inside the caller's
 * transaction (large objects need one), so a write that is rolled back leaves no object behind.
 */
final class LargeObjects {

    private static final int CHUNK = 64 * 1024;

    private LargeObjects() {
    }

    /** Stores {@code bytes} as a new large object; returns its oid. */
    static long write(Connection c, byte[] bytes, String what) throws SQLException {
        LargeObjectManager objects = c.unwrap(PGConnection.class).getLargeObjectAPI();
        long oid = objects.createLO(LargeObjectManager.READWRITE);
        LargeObject lo = objects.open(oid, LargeObjectManager.WRITE);
        try (OutputStream out = lo.getOutputStream()) {
            for (int at = 0; at < bytes.length; at += CHUNK) {
                out.write(bytes, at, Math.min(CHUNK, bytes.length - at));
            }
        } catch (IOException e) {
            throw new SQLException("writing " + what + " failed", e);
        }
        return oid;
    }

    /** The bytes of large object {@code oid}. */
    static byte[] read(Connection c, long oid, String what) throws SQLException {
        LargeObject lo = c.unwrap(PGConnection.class).getLargeObjectAPI().open(oid, LargeObjectManager.READ);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = lo.getInputStream()) {
            in.transferTo(bytes);
        } catch (IOException e) {
            throw new SQLException("reading " + what + " failed", e);
        }
        return bytes.toByteArray();
    }

    /** Deletes large object {@code oid}. */
    static void delete(Connection c, long oid) throws SQLException {
        c.unwrap(PGConnection.class).getLargeObjectAPI().unlink(oid);
    }
}
