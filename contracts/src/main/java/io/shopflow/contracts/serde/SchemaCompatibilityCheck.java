package io.shopflow.contracts.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

import java.util.ArrayList;
import java.util.List;

/**
 * BACKWARD_TRANSITIVE: a candidate schema must read data written with every released
 * version of the same message. The build runs it over the whole catalog (see the contracts
 * tests); a failing pair names the released version and Avro's explanation.
 */
public final class SchemaCompatibilityCheck {

    private SchemaCompatibilityCheck() {
    }

    /** Human-readable incompatibilities of {@code candidate} against {@code released}; empty when compatible. */
    public static List<String> violations(Schema candidate, List<Schema> released) {
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < released.size(); i++) {
            SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(candidate, released.get(i));
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                violations.add(candidate.getFullName() + " cannot read released v" + (i + 1) + ": "
                        + result.getResult().getIncompatibilities());
            }
        }
        return violations;
    }
}
