package io.shopflow.contracts.serde;

import io.shopflow.contracts.Messages;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
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
import java.util.Optional;

/**
 * The schemas this build knows: the current schema of every message in {@link Messages#ALL}
 * and each released version of it, kept in {@code schema-history/<full name>/v<N>.avsc}.
 * Released versions are what old producers may still write, so the decoder must find them
 * by fingerprint; the compatibility check reads them too.
 */
public final class SchemaCatalog {

    static final String HISTORY_ROOT = "schema-history/";

    private static final SchemaCatalog DEFAULT = new SchemaCatalog(Messages.ALL);

    private final Map<Long, Schema> byFingerprint = new HashMap<>();
    private final Map<String, Class<? extends SpecificRecordBase>> classByName = new HashMap<>();
    private final Map<String, List<Schema>> releasedByName = new HashMap<>();

    SchemaCatalog(List<Class<? extends SpecificRecordBase>> messageTypes) {
        for (Class<? extends SpecificRecordBase> type : messageTypes) {
            Schema current = new SpecificData(type.getClassLoader()).getSchema(type);
            classByName.put(current.getFullName(), type);
            byFingerprint.put(fingerprint(current), current);
            List<Schema> released = loadReleased(type.getClassLoader(), current.getFullName());
            released.forEach(s -> byFingerprint.put(fingerprint(s), s));
            releasedByName.put(current.getFullName(), Collections.unmodifiableList(released));
        }
    }

    /** The catalog of {@link Messages#ALL}. */
    public static SchemaCatalog standard() {
        return DEFAULT;
    }

    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    Optional<Schema> writerSchema(long fingerprint) {
        return Optional.ofNullable(byFingerprint.get(fingerprint));
    }

    Optional<Class<? extends SpecificRecordBase>> currentClass(String fullName) {
        return Optional.ofNullable(classByName.get(fullName));
    }

    boolean knows(Schema schema) {
        return byFingerprint.containsKey(fingerprint(schema));
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

    private static List<Schema> loadReleased(ClassLoader loader, String fullName) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = loader.getResourceAsStream(HISTORY_ROOT + fullName + "/v" + v + ".avsc")) {
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
