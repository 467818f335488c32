package io.shopflow.outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes the rows that {@link RetentionPolicy policies} no longer keep (ADR 12): per policy, in
 * batches of at most {@code batchSize} rows, oldest first, each batch its own short transaction,
 * so that the hot path never waits long on a lock and vacuum can reclaim as it goes. One instance
 * at a time per database: a run holds a PostgreSQL advisory lock on its connection, and an
 * instance that finds it held only measures the tables. Plain JDBC; the service schedules it.
 */
public final class Pruner {

    /** The advisory lock a run holds: one key for every Shopflow database ("shopflow retention"). */
    static final long LOCK_KEY = 0x53_68_6f_70_52_65_74_6eL;

    /** What one run did and found for one policy. */
    public record Outcome(RetentionPolicy policy, long pruned, long tableBytes, Optional<Instant> oldest) {
    }

    /**
     * @param pruned   false when another instance held the lock: then nothing was deleted, and the
     *                 outcomes only measure the tables
     * @param outcomes one per policy, in the order given
     */
    public record Run(boolean pruned, List<Outcome> outcomes) {
    }

    private final DataSource dataSource;
    private final int batchSize;

    public Pruner(DataSource dataSource, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("The retention batch size must be at least 1: " + batchSize);
        }
        this.dataSource = dataSource;
        this.batchSize = batchSize;
    }

    /**
     * Prunes every policy's rows older than {@code now} minus its window; stops between batches
     * when the thread is interrupted. While another instance holds the lock, only measures.
     *
     * @return per policy, what was deleted, the table's size (heap, indexes and TOAST, in bytes)
     *         and its oldest row afterwards; and whether this instance pruned
     */
    public Run run(List<RetentionPolicy> policies, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            boolean locked = lock(connection, "pg_try_advisory_lock");
            try {
                List<Outcome> outcomes = new ArrayList<>();
                for (RetentionPolicy policy : policies) {
                    long pruned = locked ? prune(connection, policy, Timestamp.from(now.minus(policy.window()))) : 0;
                    outcomes.add(new Outcome(policy, pruned, size(connection, policy), oldest(connection, policy)));
                }
                return new Run(locked, outcomes);
            } finally {
                if (locked) {
                    lock(connection, "pg_advisory_unlock");
                }
            }
        }
    }

    private long prune(Connection connection, RetentionPolicy policy, Timestamp cutoff) throws SQLException {
        long pruned = 0;
        try (PreparedStatement delete = connection.prepareStatement(policy.deleteBatch())) {
            int deleted;
            do {
                delete.setTimestamp(1, cutoff);
                delete.setInt(2, batchSize);
                deleted = delete.executeUpdate();
                pruned += deleted;
            } while (deleted == batchSize && !Thread.currentThread().isInterrupted());
        }
        return pruned;
    }

    private static long size(Connection connection, RetentionPolicy policy) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_total_relation_size(?::regclass)")) {
            ps.setString(1, policy.table());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Optional<Instant> oldest(Connection connection, RetentionPolicy policy) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(policy.oldest()); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant);
        }
    }

    private static boolean lock(Connection connection, String function) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + function + "(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
