package dev.rnnplayground.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The test fixture the PostgreSQL tests stand on: a cluster that starts on a fresh machine as
 * whoever runs the tests (root in CI, where PostgreSQL itself must run as another user), takes
 * writes, and leaves neither a process nor a file behind.
 */
class PostgresClusterTest {

    @Test
    void startsAnswersAndLeavesNothingBehind() throws Exception {
        PostgresCluster db = new PostgresCluster();
        db.start();
        Path dir = db.dir();
        long serverPid;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (n int)");
            assertEquals(3, s.executeUpdate("INSERT INTO t SELECT generate_series(1, 3)"));
            try (ResultSet r = s.executeQuery("SELECT sum(n), current_user, pg_backend_pid() FROM t")) {
                assertTrue(r.next());
                assertEquals(6, r.getInt(1));
                assertEquals("rnn", r.getString(2));
                serverPid = r.getLong(3);
            }
        }
        // PostgreSQL refuses root; as root the fixture must have started it as the postgres user
        String serverUser = ProcessHandle.of(serverPid).flatMap(p -> p.info().user()).orElse("(unknown)");
        assertFalse(serverUser.equals("root") || serverUser.equals("(unknown)"),
                "the server process runs as a user other than root, not " + serverUser);

        db.stop();
        assertFalse(Files.exists(dir), "the cluster's directory is deleted: " + dir);
        assertFalse(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false), "the server process is gone");
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", db.port()), 1000);
            }
        }, "nothing listens on the cluster's port any more");
    }
}
