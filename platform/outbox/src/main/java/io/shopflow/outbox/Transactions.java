package io.shopflow.outbox;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.function.Supplier;

/**
 * The outbox and the inbox only make sense inside the caller's transaction: written outside
 * one, a row would commit on its own, apart from the state change it belongs to. Like
 * {@code TxType.MANDATORY}, they refuse to run without one.
 */
final class Transactions {

    private Transactions() {
    }

    /** {@code work}, or a failed {@link Uni} when {@code session} has no transaction. */
    static <T> Uni<T> mandatory(Mutiny.Session session, String what, Supplier<Uni<T>> work) {
        if (session.currentTransaction() == null) {
            return Uni.createFrom().failure(new IllegalStateException(what + " must run inside the caller's "
                    + "transaction (Mutiny.SessionFactory#withTransaction or @WithTransaction)"));
        }
        try {
            return work.get();
        } catch (RuntimeException e) {
            // A message that cannot be encoded fails the caller's transaction like any other write.
            return Uni.createFrom().failure(e);
        }
    }
}
