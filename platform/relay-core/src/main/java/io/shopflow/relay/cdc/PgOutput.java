package io.shopflow.relay.cdc;

import io.shopflow.relay.publish.OutboxRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decodes the messages of PostgreSQL's {@code pgoutput} plugin (protocol 1, started with
 * {@code binary 'true'} and {@code messages 'true'}, PostgreSQL 14 or newer) into outbox records.
 * Only what an insert-only publication of the {@code outbox} table sends is expected: BEGIN,
 * RELATION, INSERT, COMMIT, and the ORIGIN, TYPE and logical MESSAGE records that may come with
 * them. Anything else is a configuration error and fails loudly rather than being skipped.
 *
 * <p>See <a href="https://www.postgresql.org/docs/current/protocol-logicalrep-message-formats.html">
 * Logical Replication Message Formats</a>. Used by one thread; keeps the relations it was told about.
 */
final class PgOutput {

    /** What the decoded messages mean to the relay. */
    interface Listener {
        void begin();

        void insert(OutboxRecord record);

        /** @param endLsn the end of the commit record: confirming it lets the slot move past the transaction */
        void commit(long endLsn);

        /**
         * A non-transactional logical decoding message ({@code pg_logical_emit_message(false, ...)}),
         * e.g. the relay's wake-up on close; confirming {@code endLsn} moves the slot past it.
         */
        void message(long endLsn);
    }

    private static final List<String> COLUMNS = OutboxRecord.COLUMN_NAMES;

    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int UUID_OID = 2950;
    private static final int BYTEA_OID = 17;
    private static final int TIMESTAMPTZ_OID = 1184;

    /** A relation of the publication: for each of its columns, the index in {@link #COLUMNS} (or -1) and type. */
    private record Relation(String name, int[] slot, int[] typeOid) {
    }

    private final Map<Integer, Relation> relations = new HashMap<>();

    void decode(ByteBuffer buffer, Listener listener) {
        byte type = buffer.get();
        switch (type) {
            case 'B' -> listener.begin(); // final LSN, commit time and xid: not needed
            case 'C' -> {
                buffer.get(); // flags
                buffer.getLong(); // commit LSN
                listener.commit(buffer.getLong());
            }
            case 'R' -> relation(buffer);
            case 'I' -> listener.insert(insert(buffer));
            case 'M' -> {
                if (buffer.get() != 0) {
                    throw new IllegalStateException("A transactional logical decoding message: the relay emits none");
                }
                listener.message(buffer.getLong());
            }
            case 'O', 'Y' -> { } // origin of a transaction, a user type's name: nothing to do
            default -> throw new IllegalStateException("Unexpected pgoutput message '" + (char) type
                    + "': the shopflow_outbox publication should stream outbox inserts only");
        }
    }

    private void relation(ByteBuffer buffer) {
        int oid = buffer.getInt();
        String namespace = string(buffer);
        String name = string(buffer);
        buffer.get(); // replica identity
        int columns = buffer.getShort();
        int[] slot = new int[columns];
        int[] typeOid = new int[columns];
        for (int i = 0; i < columns; i++) {
            buffer.get(); // flags
            slot[i] = COLUMNS.indexOf(string(buffer));
            typeOid[i] = buffer.getInt();
            buffer.getInt(); // type modifier
        }
        relations.put(oid, new Relation(namespace + "." + name, slot, typeOid));
    }

    private OutboxRecord insert(ByteBuffer buffer) {
        int oid = buffer.getInt();
        Relation relation = relations.get(oid);
        if (relation == null) {
            throw new IllegalStateException("pgoutput sent an insert into relation " + oid + " before describing it");
        }
        buffer.get(); // 'N': a new tuple follows
        int columns = buffer.getShort();
        Object[] values = new Object[COLUMNS.size()];
        for (int i = 0; i < columns; i++) {
            byte kind = buffer.get();
            if (kind == 'n' || kind == 'u') {
                continue;
            }
            byte[] bytes = new byte[buffer.getInt()];
            buffer.get(bytes);
            int slot = i < relation.slot().length ? relation.slot()[i] : -1;
            if (slot >= 0) {
                values[slot] = value(relation, i, kind, bytes);
            }
        }
        try {
            return new OutboxRecord((UUID) values[0], (String) values[1], (String) values[2], (String) values[3],
                    (String) values[4], (byte[]) values[5], (String) values[6], (String) values[7],
                    (Instant) values[8], (String) values[9], (String) values[10]);
        } catch (NullPointerException | ClassCastException e) {
            throw new IllegalStateException("An insert into " + relation.name() + " is not an outbox row: "
                    + e.getMessage(), e);
        }
    }

    /** A column value: binary for the types that have a binary form (all of the outbox's), text otherwise. */
    private static Object value(Relation relation, int column, byte kind, byte[] bytes) {
        int typeOid = relation.typeOid()[column];
        if (kind == 'b') {
            return switch (typeOid) {
                case UUID_OID -> {
                    ByteBuffer uuid = ByteBuffer.wrap(bytes);
                    yield new UUID(uuid.getLong(), uuid.getLong());
                }
                case BYTEA_OID -> bytes;
                case TIMESTAMPTZ_OID -> {
                    long micros = ByteBuffer.wrap(bytes).getLong() + POSTGRES_EPOCH_MICROS;
                    yield Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
                }
                default -> new String(bytes, StandardCharsets.UTF_8);
            };
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return switch (typeOid) {
            case UUID_OID -> UUID.fromString(text);
            case BYTEA_OID -> HexFormat.of().parseHex(text.substring(2)); // \x...
            case TIMESTAMPTZ_OID -> throw new IllegalStateException("pgoutput sent " + relation.name() + "."
                    + COLUMNS.get(relation.slot()[column]) + " as text; the relay asks for binary tuples");
            default -> text;
        };
    }

    private static String string(ByteBuffer buffer) {
        int start = buffer.position();
        int end = start;
        while (buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        buffer.get(bytes);
        buffer.get(); // the terminating zero
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
