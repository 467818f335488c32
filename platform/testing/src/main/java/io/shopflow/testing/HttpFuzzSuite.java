package io.shopflow.testing;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 14's HTTP fuzz test for one service: a {@code @QuarkusTest} extends it and names its database. The
 * suite sends {@link #REQUESTS} malformed requests to every endpoint of the service's OpenAPI document
 * ({@link HttpFuzzer}; the seed is printed and replayed with {@code -Dshopflow.fuzz.seed}) and checks that
 * none is answered 5xx, that every refusal is a problem document, and that no table gained or lost a row.
 */
public abstract class HttpFuzzSuite {

    /** Requests per run. */
    public static final int REQUESTS = 2_500;

    @TestHTTPResource("/")
    URI root;

    /** The service's database on {@link PostgresServer#shared()}. */
    protected abstract String database();

    @Test
    void answersMalformedRequestsWithProblemsAndWritesNothing() throws Exception {
        Map<String, Long> before = HttpFuzzer.rowCounts(database());

        HttpFuzzer.against(root).run(REQUESTS).assertClean();

        assertEquals(before, HttpFuzzer.rowCounts(database()), "rows per table");
    }
}
