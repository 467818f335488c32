package io.shopflow.contracts.serde;

import io.shopflow.contracts.Messages;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schemas this build knows: the current schema of every message in {@link Messages#ALL}
 * and each released version of it, kept in {@code schema-history/<full name>/v<N>.avsc}.
 * Released versions are what old producers may still write, so the decoder must find them
 * by fingerprint ({@link #writers()}, Avro's {@link SchemaStore}); the compatibility check reads them too.
 */
public final class SchemaCatalog {

    static final String HISTORY_ROOT = "schema-history/";

    private static final SchemaCatalog DEFAULT = new SchemaCatalog(Messages.ALL, HISTORY_ROOT);

    private final SchemaStore.Cache writers = new SchemaStore.Cache();
    private final Map<String, Class<? extends SpecificRecordBase>> classByName = new HashMap<>();
    private final Map<String, List<Schema>> releasedByName = new HashMap<>();
    private final Schema anyMessage;

    /** @param historyRoot where the released versions are, {@value #HISTORY_ROOT} but in tests */
    SchemaCatalog(List<Class<? extends SpecificRecordBase>> messageTypes, String historyRoot) {
        List<Schema> currents = new ArrayList<>();
        for (Class<? extends SpecificRecordBase> type : messageTypes) {
            Schema current = new SpecificData(type.getClassLoader()).getSchema(type);
            currents.add(current);
            classByName.put(current.getFullName(), type);
            writers.addSchema(current);
            List<Schema> released = loadReleased(type.getClassLoader(), historyRoot, current.getFullName());
            released.forEach(writers::addSchema);
            releasedByName.put(current.getFullName(), Collections.unmodifiableList(released));
        }
        anyMessage = Schema.createUnion(currents);
    }

    /** The catalog of {@link Messages#ALL}. */
    public static SchemaCatalog standard() {
        return DEFAULT;
    }

    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Every schema a message may have been written with, current or released, by fingerprint. */
    SchemaStore writers() {
        return writers;
    }

    /**
     * The union of the current schemas: read against it, a message written with any of the {@link #writers()}
     * becomes the current generated class of its record (Avro resolves a record to the union branch of its name).
     */
    Schema anyMessage() {
        return anyMessage;
    }

    boolean knows(Schema schema) {
        return writers.findByFingerprint(fingerprint(schema)) != null;
    }

    /** Released versions of a message, oldest first; empty for a never-released message. */
    public List<Schema> released(String fullName) {
        return releasedByName.getOrDefault(fullName, List.of());
    }

    /** Full names of every current message type. */
    public List<String> messageNames() {
        return List.copyOf(classByName.keySet());
    }

    /** The current schema of a message type. */
    public Schema current(String fullName) {
        Class<? extends SpecificRecordBase> type = classByName.get(fullName);
        if (type == null) {
            throw new IllegalArgumentException("Not a Shopflow message: " + fullName);
        }
        return new SpecificData(type.getClassLoader()).getSchema(type);
    }

    private static List<Schema> loadReleased(ClassLoader loader, String historyRoot, String fullName) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = loader.getResourceAsStream(historyRoot + fullName + "/v" + v + ".avsc")) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Unreadable released schema v" + v + " of " + fullName, e);
            }
        }
    }
}
