package io.shopflow.order.adapter.persistence;

import io.shopflow.order.application.WorkInFlight;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * {@link WorkInFlight} from the {@code orders} table: one aggregate read of the partial index
 * {@code orders_pending} (V2), whose size is the orders in flight, which admission control keeps
 * small. It runs on the reactive pool directly: a background read needs no session, entity or
 * transaction.
 */
@ApplicationScoped
class PendingOrders implements WorkInFlight {

    // 'PENDING' is a literal, not a parameter: the planner uses a partial index only for a
    // predicate it can prove from the query text, also in the generic plan of a cached statement.
    private static final String PENDING_SINCE = "SELECT count(*), min(placed_at) FROM orders "
            + "WHERE status = 'PENDING' AND placed_at > $1";

    private final Pool pool;

    PendingOrders(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Snapshot> pendingSince(Instant since) {
        return pool.preparedQuery(PENDING_SINCE).execute(Tuple.of(since.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Snapshot(row.getLong(0),
                            Optional.ofNullable(row.getOffsetDateTime(1)).map(OffsetDateTime::toInstant));
                });
    }
}
