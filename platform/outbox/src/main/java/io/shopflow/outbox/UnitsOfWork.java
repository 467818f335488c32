package io.shopflow.outbox;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.function.Function;

/**
 * Opens units of work: the port through which a use case that starts on its own (an HTTP
 * request, a timer) runs its work in one transaction (ADR 15). Use cases that a consumer calls
 * get theirs from the consumer's batch transaction instead.
 */
public interface UnitsOfWork {

    /** Runs {@code work} in a new transaction, committed when its {@link Uni} succeeds, rolled back otherwise. */
    <T> Uni<T> inTransaction(Function<UnitOfWork, Uni<T>> work);

    /** Units of work of Hibernate Reactive's {@link Mutiny.SessionFactory#withTransaction}. */
    static UnitsOfWork of(Mutiny.SessionFactory sessions) {
        return new UnitsOfWork() {
            @Override
            public <T> Uni<T> inTransaction(Function<UnitOfWork, Uni<T>> work) {
                return sessions.withTransaction(session -> work.apply(UnitOfWork.of(session)));
            }
        };
    }
}
