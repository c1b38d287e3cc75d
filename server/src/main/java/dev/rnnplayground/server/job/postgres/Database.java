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
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL database that {@code rnn serve --database URL} and {@code rnn worker --database URL}
 * share, given as {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE}. Opening it brings its
 * tables up to date ({@code db/schema.sql}).
 */
public final class Database {

    /** Any number; it names the advisory lock that keeps two starting processes from creating tables at once. */
    private static final long SCHEMA_LOCK = 0x726e6e5f6462L;

    private final DataSource dataSource;
    private final String shown;

    private Database(DataSource dataSource, String shown) {
        this.dataSource = dataSource;
        this.shown = shown;
    }

    /** Reads the URL (refusing anything but {@code postgresql://…}) and creates the tables that are missing. */
    public static Database open(String url) throws SQLException {
        Database db = new Database(dataSource(url), withoutPassword(url));
        db.applySchema();
        return db;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return dataSource.getConnection();
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
        return ds;
    }

    static String withoutPassword(String url) {
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
