package io.shopflow.contracts.serde;

import org.apache.avro.Schema;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Release step for contracts: for every message whose current schema differs from its
 * latest released version, records the current schema as the next {@code v<N>.avsc} under
 * {@code src/main/resources/schema-history} and writes an encoded fixture for it under
 * {@code src/test/resources/fixtures}. Run from the repository root:
 * <pre>./mvnw -B -pl contracts test-compile exec:java -Dexec.mainClass=io.shopflow.contracts.serde.ReleaseSchemas -Dexec.classpathScope=test</pre>
 * and commit both folders. It refuses a schema that breaks BACKWARD_TRANSITIVE compatibility.
 */
public final class ReleaseSchemas {

    private ReleaseSchemas() {
    }

    public static void main(String[] args) throws Exception {
        Path module = Path.of(args.length > 0 ? args[0] : "contracts");
        if (!Files.isDirectory(module.resolve("src/main/avro"))) {
            module = Path.of(".");
        }
        SchemaCatalog catalog = SchemaCatalog.standard();
        for (String name : catalog.messageNames()) {
            Schema current = catalog.current(name);
            List<Schema> released = catalog.released(name);
            if (!released.isEmpty() && SchemaCatalog.fingerprint(released.get(released.size() - 1))
                    == SchemaCatalog.fingerprint(current)) {
                continue;
            }
            List<String> violations = SchemaCompatibilityCheck.violations(current, released);
            if (!violations.isEmpty()) {
                throw new IllegalStateException(String.join("\n", violations));
            }
            int version = released.size() + 1;
            Path schemaFile = module.resolve("src/main/resources/" + SchemaCatalog.HISTORY_ROOT + name
                    + "/v" + version + ".avsc");
            Files.createDirectories(schemaFile.getParent());
            Files.writeString(schemaFile, current.toString(true) + "\n");
            Path fixture = module.resolve("src/test/resources/fixtures/" + name + "/v" + version + ".bin");
            Files.createDirectories(fixture.getParent());
            Files.write(fixture, SampleRecords.encode(current, SampleRecords.sample(current, "root")));
            System.out.println("released " + name + " v" + version);
        }
    }
}
