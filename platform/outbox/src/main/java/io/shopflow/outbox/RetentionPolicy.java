package io.shopflow.outbox;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How long the rows of one table are kept (ADR 12): rows whose {@code agedBy} timestamp is older
 * than {@code window} are deleted by the {@link Pruner}, oldest first, in batches. The column needs
 * an index for a batch and the oldest row to be cheap; rows where it is NULL are never pruned.
 *
 * @param table  the table, also the {@code table} tag of the retention metrics
 * @param agedBy the timestamp column rows are aged by
 * @param window how long a row is kept at least
 */
public record RetentionPolicy(String table, String agedBy, Duration window) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    public RetentionPolicy {
        identifier(table);
        identifier(agedBy);
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("The retention window of " + table + " must be positive: " + window);
        }
    }

    /**
     * The {@code DELETE} of one batch: the rows older than its first parameter (a timestamp), oldest
     * first, at most its second parameter of them.
     */
    String deleteBatch() {
        return "DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table + " WHERE " + agedBy
                + " < ? ORDER BY " + agedBy + " LIMIT ?))";
    }

    /** The oldest timestamp among the rows the policy covers; NULL when there is none. */
    String oldest() {
        return "SELECT min(" + agedBy + ") FROM " + table;
    }

    private static void identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain SQL identifier: " + name);
        }
    }
}
