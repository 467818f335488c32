package io.shopflow.outbox;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.serde.CatalogSerde;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.PostgresServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Outbox and inbox in the caller's Hibernate Reactive transaction, on a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "outbox_test"))
class OutboxAndInboxTest {

    private static final String DATABASE = "outbox_test";

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    DataSource dataSource;

    private final CatalogSerde serde = new CatalogSerde();
    private final OutboxWriter outbox = new OutboxWriter(serde);
    private final Inbox inbox = new Inbox(Duration.ofDays(8), Clock.systemUTC());

    @BeforeEach
    void clean() throws Exception {
        sql("DELETE FROM outbox; DELETE FROM inbox; DELETE FROM counter");
    }

    @Test
    void outboxRowCommitsWithTheStateChange() throws Throwable {
        OrderPlaced placed = orderPlaced();

        run(() -> sessions.withTransaction(s -> s.persist(new Counter("orders", 1))
                .chain(() -> outbox.append(s, new OutboxMessage("Order", placed.getOrderId().toString(),
                        Topics.ORDER_EVENTS, placed)))));

        assertThat(count("counter")).isEqualTo(1);
        try (Connection c = PostgresServer.shared().connect(DATABASE);
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM outbox")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject("id")).isEqualTo(placed.getMetadata().getMessageId());
            assertThat(rs.getString("aggregate_type")).isEqualTo("Order");
            assertThat(rs.getString("aggregate_id")).isEqualTo(placed.getOrderId().toString());
            assertThat(rs.getString("topic")).isEqualTo(Topics.ORDER_EVENTS);
            assertThat(rs.getString("message_type")).isEqualTo("OrderPlaced");
            assertThat(rs.getString("correlation_id")).isEqualTo(placed.getOrderId().toString());
            assertThat(rs.getString("causation_id")).isNull();
            assertThat(rs.getTimestamp("published_at")).isNull();
            assertThat(serde.deserialize(Topics.ORDER_EVENTS, rs.getBytes("payload"))).isEqualTo(placed);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void outboxRowRollsBackWithTheStateChange() throws Exception {
        OrderPlaced placed = orderPlaced();

        assertThatThrownBy(() -> run(() -> sessions.withTransaction(s -> s.persist(new Counter("orders", 1))
                .chain(() -> outbox.append(s, new OutboxMessage("Order", "o-1", Topics.ORDER_EVENTS, placed)))
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("failure after the writes"))))))
                .hasMessageContaining("failure after the writes");

        assertThat(count("counter")).isZero();
        assertThat(count("outbox")).isZero();
    }

    @Test
    void keepsTheOrderOfSeveralMessagesInOneTransaction() throws Throwable {
        List<OutboxMessage> messages = List.of(
                new OutboxMessage("Order", "o-1", Topics.ORDER_EVENTS, orderPlaced()),
                new OutboxMessage("Order", "o-1", Topics.ORDER_EVENTS, orderPlaced()),
                new OutboxMessage("Order", "o-1", Topics.ORDER_EVENTS, orderPlaced()));

        run(() -> sessions.withTransaction(s -> outbox.appendAll(s, messages)));

        try (Connection c = PostgresServer.shared().connect(DATABASE);
             ResultSet rs = c.createStatement().executeQuery("SELECT id FROM outbox ORDER BY position")) {
            for (OutboxMessage m : messages) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject("id")).isEqualTo(Metadata.of(m.message()).getMessageId());
            }
        }
    }

    @Test
    void theSameMessageProcessedTwiceHasOneEffect() throws Throwable {
        UUID messageId = UUID.randomUUID();
        run(() -> sessions.withTransaction(s -> s.persist(new Counter("effects", 0))));

        Boolean first = run(() -> processOnce(messageId));
        Boolean second = run(() -> processOnce(messageId));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(value("effects")).isEqualTo(1);
        assertThat(count("inbox")).isEqualTo(1);
    }

    @Test
    void recordsABatchWithOneStatementAndReportsOnlyTheNewIds() throws Throwable {
        UUID seen = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        UUID twice = UUID.randomUUID();
        run(() -> sessions.withTransaction(s -> inbox.markProcessed(s, seen, "c", "T")));

        Set<UUID> recorded = run(() -> sessions.withTransaction(s -> inbox.markAllProcessed(s, List.of(
                new Inbox.Entry(seen, "T"), new Inbox.Entry(fresh, "T"), new Inbox.Entry(twice, "T"),
                new Inbox.Entry(twice, "T")), "c")));

        assertThat(recorded).containsExactlyInAnyOrder(fresh, twice);
        assertThat(count("inbox")).isEqualTo(3);
        assertThatThrownBy(() -> run(() -> sessions.withSession(s -> inbox.markAllProcessed(s,
                List.of(new Inbox.Entry(UUID.randomUUID(), "T")), "c"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
    }

    @Test
    void anotherConsumerProcessesTheSameMessageOnItsOwn() throws Throwable {
        UUID messageId = UUID.randomUUID();

        Boolean byA = run(() -> sessions.withTransaction(s -> inbox.markProcessed(s, messageId, "a", "T")));
        Boolean byB = run(() -> sessions.withTransaction(s -> inbox.markProcessed(s, messageId, "b", "T")));

        assertThat(byA).isTrue();
        assertThat(byB).isTrue();
    }

    @Test
    void carriesTheTraceContextCurrentWhenAppending() throws Throwable {
        SpanContext span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.builder().put("shopflow", "test").build());
        Context traced = Context.root().with(Span.wrap(span));
        OrderPlaced placed = orderPlaced();

        run(() -> sessions.withTransaction(s -> {
            try (Scope ignored = traced.makeCurrent()) {
                return outbox.append(s, new OutboxMessage("Order", "o-1", Topics.ORDER_EVENTS, placed));
            }
        }));

        try (Connection c = PostgresServer.shared().connect(DATABASE);
             ResultSet rs = c.createStatement().executeQuery("SELECT traceparent, tracestate FROM outbox")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            assertThat(rs.getString("tracestate")).isEqualTo("shopflow=test");
        }
    }

    @Test
    void leavesTheTraceContextEmptyWithoutASpan() throws Throwable {
        run(() -> sessions.withTransaction(s -> outbox.append(s,
                new OutboxMessage("Order", "o-1", Topics.ORDER_EVENTS, orderPlaced()))));

        try (Connection c = PostgresServer.shared().connect(DATABASE);
             ResultSet rs = c.createStatement().executeQuery("SELECT traceparent FROM outbox")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("traceparent")).isNull();
        }
    }

    @Test
    void pruningRemovesOnlyInboxRowsOutsideTheWindowOldestFirstInBatches() throws Exception {
        Instant now = Instant.now();
        Duration kept = inbox.window().plus(Inbox.CLOCK_ALLOWANCE);
        UUID[] expired = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        UUID inside = UUID.randomUUID();
        processedAt(expired[0], now.minus(Duration.ofDays(30)));
        processedAt(expired[1], now.minus(kept).minusSeconds(5));
        processedAt(expired[2], now.minus(kept).minusSeconds(1));
        processedAt(inside, now.minus(kept).plusSeconds(60));
        processedAt(UUID.randomUUID(), now);

        List<Pruner.Outcome> outcomes = new Pruner(dataSource, 2).run(List.of(inbox.retentionPolicy()), now).outcomes();

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.pruned()).isEqualTo(3);
            assertThat(o.tableBytes()).isPositive();
            assertThat(o.oldest()).hasValueSatisfying(t -> assertThat(t).isCloseTo(now.minus(kept).plusSeconds(60),
                    within(1, ChronoUnit.MILLIS)));
        });
        assertThat(count("inbox")).isEqualTo(2);
        assertThat(Set.of(expired)).noneMatch(this::recorded);
        assertThat(recorded(inside)).isTrue();
    }

    @Test
    void aMessageRedeliveredInsideTheWindowHasNoSecondEffectAfterPruning() throws Throwable {
        UUID messageId = UUID.randomUUID();
        Boolean first = run(() -> sessions.withTransaction(s -> inbox.markProcessed(s, messageId, "c", "T")));
        assertThat(first).isTrue();
        // It was processed the moment it occurred, almost a window ago; a copy arrives now.
        Instant occurredAt = Instant.now().minus(inbox.window()).plus(Duration.ofMinutes(10));
        sql("UPDATE inbox SET processed_at = '" + occurredAt + "'");

        new Pruner(dataSource, 100).run(List.of(inbox.retentionPolicy()), Instant.now());

        assertThat(inbox.remembers(occurredAt)).isTrue();
        Boolean again = run(() -> sessions.withTransaction(s -> inbox.markProcessed(s, messageId, "c", "T")));
        assertThat(again).as("the copy is recognised").isFalse();
        assertThat(inbox.remembers(Instant.now().minus(inbox.window()).minusSeconds(1)))
                .as("older than the window: a copy could have been pruned, so it is not remembered").isFalse();
    }

    @Test
    void oneInstancePrunesAtATime() throws Exception {
        processedAt(UUID.randomUUID(), Instant.now().minus(Duration.ofDays(30)));
        Pruner pruner = new Pruner(dataSource, 100);
        try (Connection other = PostgresServer.shared().connect(DATABASE);
             PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, Pruner.LOCK_KEY);
            lock.execute();

            Pruner.Run measuredOnly = pruner.run(List.of(inbox.retentionPolicy()), Instant.now());
            assertThat(measuredOnly.pruned()).as("another instance runs").isFalse();
            assertThat(measuredOnly.outcomes().get(0).oldest()).as("measured all the same").isPresent();
            assertThat(count("inbox")).isEqualTo(1);
            // Released here, not by closing the connection: the server ends a closed session's
            // backend (and frees its locks) a moment after the client has gone on.
            try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, Pruner.LOCK_KEY);
                unlock.execute();
            }
        }
        Pruner.Run run = pruner.run(List.of(inbox.retentionPolicy()), Instant.now());
        assertThat(run.pruned()).isTrue();
        assertThat(run.outcomes().get(0).pruned()).isEqualTo(1);
        assertThat(count("inbox")).isZero();
    }

    @Test
    void aKeyLockMakesTheNextTransactionOnTheKeyWaitAndSeeWhatTheFirstCommitted() throws Throwable {
        UUID order = UUID.randomUUID();
        CompletableFuture<Void> locked = new CompletableFuture<>();
        // Both find no row; the first creates it while it holds the key, slowly.
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> runUnchecked(() -> sessions.withTransaction(
                s -> KeyLocks.lock(s, "counter", order).invoke(() -> locked.complete(null))
                        .chain(() -> countersNamed(s, order))
                        .call(() -> s.createNativeQuery("SELECT true FROM pg_sleep(0.5)", Boolean.class).getSingleResult())
                        .call(() -> s.persist(new Counter(order.toString(), 1))))));
        CompletableFuture.anyOf(locked, first).get(30, TimeUnit.SECONDS);

        Long second = run(() -> sessions.withTransaction(s -> KeyLocks.lock(s, "counter", order)
                .chain(() -> countersNamed(s, order))));

        assertThat(first.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(second).as("waited for the first to commit, then read its row").isEqualTo(1);
        assertThatThrownBy(() -> run(() -> sessions.withSession(s -> KeyLocks.lock(s, "counter", order))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
    }

    @Test
    void refusesToRunOutsideATransaction() throws Exception {
        assertThatThrownBy(() -> run(() -> sessions.withSession(s -> outbox.append(s,
                new OutboxMessage("Order", "o-1", Topics.ORDER_EVENTS, orderPlaced())))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
        assertThatThrownBy(() -> run(() -> sessions.withSession(s -> inbox.markProcessed(s, UUID.randomUUID(),
                "c", "T")))).isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");

        assertThat(count("outbox")).isZero();
        assertThat(count("inbox")).isZero();
    }

    @Test
    void refusesAMessageWithoutMetadataAndRollsBackTheChange() throws Exception {
        OrderLine notAMessage = new OrderLine("SKU-1", 1);

        assertThatThrownBy(() -> run(() -> sessions.withTransaction(s -> s.persist(new Counter("orders", 1))
                .chain(() -> outbox.append(s, new OutboxMessage("Order", "o-1", Topics.ORDER_EVENTS, notAMessage))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MessageMetadata");

        assertThat(count("counter")).isZero();
        assertThat(count("outbox")).isZero();
    }

    private Uni<Boolean> processOnce(UUID messageId) {
        return sessions.withTransaction(s -> inbox.markProcessed(s, messageId, "counter-consumer", "Increment")
                .call(first -> first
                        ? s.find(Counter.class, "effects").invoke(counter -> counter.value++)
                        : Uni.createFrom().voidItem()));
    }

    private static OrderPlaced orderPlaced() {
        UUID orderId = UUID.randomUUID();
        return OrderPlaced.newBuilder()
                .setMetadata(Metadata.newMessage(orderId.toString(), null, Instant.now()))
                .setOrderId(orderId)
                .setCustomerId("alice")
                .setItems(List.of(new OrderLine("SKU-1", 1)))
                .build();
    }

    private static <T> T run(java.util.function.Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }

    private static <T> T runUnchecked(java.util.function.Supplier<Uni<T>> work) {
        try {
            return run(work);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static Uni<Long> countersNamed(Mutiny.Session session, UUID name) {
        return session.createNativeQuery("SELECT count(*) FROM counter WHERE name = ?1", Long.class)
                .setParameter(1, name.toString()).getSingleResult();
    }

    private static void processedAt(UUID messageId, Instant at) throws Exception {
        sql("INSERT INTO inbox (message_id, consumer, message_type, processed_at) VALUES ('" + messageId
                + "', 'c', 'T', '" + at + "')");
    }

    private boolean recorded(UUID messageId) {
        try (Connection c = PostgresServer.shared().connect(DATABASE); ResultSet rs = c.createStatement()
                .executeQuery("SELECT 1 FROM inbox WHERE message_id = '" + messageId + "'")) {
            return rs.next();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String table) throws Exception {
        try (Connection c = PostgresServer.shared().connect(DATABASE);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int value(String counter) throws Exception {
        try (Connection c = PostgresServer.shared().connect(DATABASE);
             ResultSet rs = c.createStatement().executeQuery("SELECT value FROM counter WHERE name = '" + counter + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void sql(String statements) throws Exception {
        try (Connection c = PostgresServer.shared().connect(DATABASE)) {
            c.createStatement().execute(statements);
        }
    }
}
