package io.shopflow.order;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.shopflow.testing.HttpFuzzSuite;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;

/** {@link HttpFuzzSuite} against order-service's API. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
@QuarkusTestResource(KafkaResource.class)
class HttpFuzzTest extends HttpFuzzSuite {

    @Override
    protected String database() {
        return "orders";
    }
}
