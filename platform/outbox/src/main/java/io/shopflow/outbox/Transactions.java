package io.shopflow.outbox;

import org.hibernate.reactive.mutiny.Mutiny;

/** The outbox and the inbox only make sense inside the caller's transaction. */
final class Transactions {

    private Transactions() {
    }

    static void require(Mutiny.Session session, String what) {
        if (session.currentTransaction() == null) {
            throw new IllegalStateException(what + " must run inside the caller's transaction "
                    + "(Mutiny.SessionFactory#withTransaction or @WithTransaction)");
        }
    }
}
