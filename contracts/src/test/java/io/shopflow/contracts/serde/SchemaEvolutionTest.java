package io.shopflow.contracts.serde;

import io.shopflow.contracts.Messages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build-time schema check: every current schema reads every released version of its
 * message (BACKWARD_TRANSITIVE), and the fixtures written with each released version still
 * decode into the current classes.
 */
class SchemaEvolutionTest {

    private final SchemaCatalog catalog = SchemaCatalog.standard();

    static Stream<String> messageNames() {
        return SchemaCatalog.standard().messageNames().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("messageNames")
    void currentSchemaReadsEveryReleasedVersion(String name) {
        List<Schema> released = catalog.released(name);

        assertThat(released).as("released versions of %s (run ReleaseSchemas)", name).isNotEmpty();
        assertThat(SchemaCompatibilityCheck.violations(catalog.current(name), released)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("messageNames")
    void fixturesOfEveryReleasedVersionDecodeWithCurrentClasses(String name) throws IOException {
        CatalogSerde serde = new CatalogSerde();
        for (int v = 1; v <= catalog.released(name).size(); v++) {
            byte[] fixture = resource("fixtures/" + name + "/v" + v + ".bin");

            SpecificRecord decoded = serde.deserialize("any", fixture);

            assertThat(decoded.getSchema().getFullName()).isEqualTo(name);
            assertThat(decoded.get(decoded.getSchema().getField("orderId").pos()).toString())
                    .isEqualTo(SampleRecords.ORDER_ID);
        }
    }

    @Test
    void checkFailsOnADeliberatelyIncompatibleSchema() throws IOException {
        Schema breaking = new Schema.Parser().parse(new String(resource("incompatible/OrderPlaced.avsc")));
        String name = breaking.getFullName();

        List<String> violations = SchemaCompatibilityCheck.violations(breaking, catalog.released(name));

        assertThat(violations).singleElement().asString()
                .contains("cannot read released v1").contains("currency").contains("items");
    }

    @Test
    void catalogListsExactlyTheMessageSchemasOfThisModule() throws IOException {
        Path avro = Path.of("src/main/avro");
        List<String> declared;
        try (Stream<Path> files = Files.walk(avro)) {
            declared = files.filter(p -> p.toString().endsWith(".avsc"))
                    .filter(p -> !p.getParent().getFileName().toString().equals("common"))
                    .map(SchemaEvolutionTest::fullName).sorted().collect(Collectors.toList());
        }
        List<String> catalogued = Messages.ALL.stream().map(SchemaEvolutionTest::fullName).sorted()
                .collect(Collectors.toList());

        assertThat(catalogued).isEqualTo(declared);
    }

    private static String fullName(Path avsc) {
        try {
            // Read the names only: message schemas reference common types defined in other files.
            JsonNode json = new ObjectMapper().readTree(avsc.toFile());
            return json.get("namespace").asText() + "." + json.get("name").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fullName(Class<? extends SpecificRecordBase> type) {
        return type.getName();
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        }
    }
}
