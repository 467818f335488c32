package io.shopflow.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How long the rows of one table are kept (ADR 12): rows whose timestamp is older than
 * {@code window} are deleted by the {@link Pruner}, oldest first, in batches.
 *
 * @param table        the table, also the {@code table} tag of the retention metrics
 * @param window       how long a row is kept at least
 * @param expired      JDBC SQL selecting the {@code ctid}s of rows older than its first parameter (a
 *                     timestamp), oldest first, at most its second parameter of them; served by an
 *                     index, so that a batch never reads the whole table
 * @param oldest       JDBC SQL selecting the oldest timestamp among the rows the policy covers, NULL
 *                     when there is none
 */
public record RetentionPolicy(String table, Duration window, String expired, String oldest) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    public RetentionPolicy {
        identifier(table);
        Objects.requireNonNull(expired, "expired");
        Objects.requireNonNull(oldest, "oldest");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("The retention window of " + table + " must be positive: " + window);
        }
    }

    /**
     * Every row of {@code table} is covered, aged by {@code column} (which needs an index for the
     * batches and the oldest row to be cheap).
     */
    public static RetentionPolicy byColumn(String table, String column, Duration window) {
        identifier(column);
        return new RetentionPolicy(table, window,
                "SELECT ctid FROM " + table + " WHERE " + column + " < ? ORDER BY " + column + " LIMIT ?",
                "SELECT min(" + column + ") FROM " + table);
    }

    /** The {@code DELETE} of one batch: parameters as {@link #expired}. */
    String deleteBatch() {
        return "DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(" + expired + "))";
    }

    private static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain SQL identifier: " + name);
        }
        return name;
    }
}
