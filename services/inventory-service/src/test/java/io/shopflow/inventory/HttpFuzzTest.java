package io.shopflow.inventory;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shopflow.testing.HttpFuzzer;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests to every endpoint of the OpenAPI document ({@link HttpFuzzer}; the seed is printed and
 * replayed with -Dshopflow.fuzz.seed): no 5xx, every refusal a problem document, nothing written.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
@QuarkusTestResource(KafkaResource.class)
class HttpFuzzTest {

    @TestHTTPResource("/")
    URI root;

    @Test
    void answersMalformedRequestsWithProblemsAndWritesNothing() throws Exception {
        Map<String, Long> before = HttpFuzzer.rowCounts("inventory");

        HttpFuzzer.against(root).run(2_500).assertClean();

        assertThat(HttpFuzzer.rowCounts("inventory")).as("rows per table").isEqualTo(before);
    }
}
