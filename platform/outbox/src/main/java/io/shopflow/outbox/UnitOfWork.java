package io.shopflow.outbox;

import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The caller's database transaction, as a use case hands it to the ports that must write in it
 * (ADR 15). Application code only passes it on; the persistence and messaging adapters that
 * implement the ports take the reactive session out of it, and the outbox appends into it, so
 * that a state change and the messages it causes commit together.
 */
@FunctionalInterface
public interface UnitOfWork {

    /** For adapters only (an architecture rule keeps application code from calling it). */
    Mutiny.Session session();

    /** The unit of work of a session whose transaction the caller opened. */
    static UnitOfWork of(Mutiny.Session session) {
        return () -> session;
    }
}
