package dev.rnnplayground.server.job.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL database that {@code rnn serve --database URL} and {@code rnn worker --database URL}
 * share, given as {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE}. Opening it brings its
 * tables up to date ({@code db/schema.sql}). Connections come from a small pool: a worker writes
 * an event at every progress point, and a new connection for each cost more than the write.
 */
public final class Database implements AutoCloseable {

    /** Enough for the trainer's writes, db-scheduler's poll and heartbeat, and an event stream or two. */
    private static final int POOL_SIZE = 4;

    /** Far longer than any pause inside one of our transactions, well under a worker's default heartbeat timeout (30 s). */
    static final int IDLE_IN_TRANSACTION_SECONDS = 10;

    /** Any number; it names the advisory lock that keeps two starting processes from creating tables at once. */
    private static final long SCHEMA_LOCK = 0x726e6e5f6462L;

    private final HikariDataSource dataSource;
    private final String shown;

    private Database(HikariDataSource dataSource, String shown) {
        this.dataSource = dataSource;
        this.shown = shown;
    }

    /** Reads the URL (refusing anything but {@code postgresql://…}) and creates the tables that are missing. */
    public static Database open(String url) throws SQLException {
        return open(url, Duration.ofSeconds(30));   // HikariCP's default
    }

    /**
     * As {@link #open(String)}; a caller waits at most {@code connectionWait} for a connection before
     * the pool gives up with an {@code SQLException}. The web node waits briefly, so that a request
     * made while the database is down is answered (503) instead of hanging.
     */
    public static Database open(String url, Duration connectionWait) throws SQLException {
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(dataSource(url));
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setConnectionTimeout(connectionWait.toMillis());
        pool.setPoolName("rnn-database");
        Database db = new Database(new HikariDataSource(pool), withoutPassword(url));
        try {
            db.applySchema();
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A connection from the pool; closing it gives it back. */
    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /** Closes the pool's connections. */
    @Override
    public void close() {
        dataSource.close();
    }

    /** The URL without its password, for logs and messages. */
    @Override
    public String toString() {
        return shown;
    }

    static DataSource dataSource(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a database URL: " + e.getMessage());
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null || path.length() < 2 || uri.getRawUserInfo() == null) {
            throw new IllegalArgumentException("expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE, got " + withoutPassword(url));
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {uri.getHost()});
        ds.setPortNumbers(new int[] {uri.getPort() < 0 ? 5432 : uri.getPort()});
        ds.setDatabaseName(path.substring(1));
        String[] user = uri.getRawUserInfo().split(":", 2);
        ds.setUser(URLDecoder.decode(user[0], StandardCharsets.UTF_8));
        if (user.length == 2) ds.setPassword(URLDecoder.decode(user[1], StandardCharsets.UTF_8));
        ds.setApplicationName("rnn");
        ds.setConnectTimeout(10);
        // A worker frozen inside a fenced write (SIGSTOP, a swapped-out machine) holds its job's queue
        // row locked, and the revival that gives the job to another worker would wait for it forever;
        // PostgreSQL ends such a session after this long, which rolls its write back and frees the row.
        ds.setOptions("-c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION_SECONDS + "s");
        return ds;
    }

    public static String withoutPassword(String url) {
        return url.replaceFirst("^(postgresql://[^:@/]*):[^@/]*@", "$1:***@");
    }

    private void applySchema() throws SQLException {
        String schema;
        try (InputStream in = Database.class.getResourceAsStream("/db/schema.sql")) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("db/schema.sql is missing from the jar", e);
        }
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                s.execute(schema);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
