package dev.rnnplayground.server.job.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The web node's side of the queue: a new job is its row in {@code rnn_jobs} and its row in
 * db-scheduler's table, written in one transaction, so no worker can claim a job whose record is
 * missing and no record waits without a queue entry. The queue row is the one db-scheduler's own
 * {@code schedule} writes (version 1, not picked, due now); it carries the job id and no payload.
 */
public final class JobQueue {

    private final Database db;

    public JobQueue(Database db) {
        this.db = db;
    }

    /** Queues job {@code jobId}, whose record (the {@code Job} as JSON) is {@code recordJson}. */
    public void enqueue(String jobId, String recordJson) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO rnn_jobs (id, record) VALUES (?, ?::json)")) {
                    s.setString(1, jobId);
                    s.setString(2, recordJson);
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO scheduled_tasks"
                        + " (task_name, task_instance, execution_time, picked, version) VALUES (?, ?, now(), false, 1)")) {
                    s.setString(1, Lease.TASK);
                    s.setString(2, jobId);
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
