package io.shopflow.order.application;

import io.shopflow.order.domain.OrderLine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestHashTest {

    @Test
    void twoDifferentRequestsThatJoinedToTheSameTextNoLongerCollide() {
        // Before escaping, both joined to "alice\nA\0" + "1\nB\0" + "2": a value holding the separators.
        assertThat(PlaceOrder.requestHash("alice", List.of(new OrderLine("A\u00001\nB", 2))))
                .isNotEqualTo(PlaceOrder.requestHash("alice", List.of(new OrderLine("A", 1), new OrderLine("B", 2))));
        assertThat(PlaceOrder.requestHash("alice\nA\u00001", List.of(new OrderLine("B", 2))))
                .isNotEqualTo(PlaceOrder.requestHash("alice", List.of(new OrderLine("A", 1), new OrderLine("B", 2))));
        // The escape character itself is escaped: "\\n" (two characters) is not a newline.
        assertThat(PlaceOrder.requestHash("a\\nb", List.of(new OrderLine("A", 1))))
                .isNotEqualTo(PlaceOrder.requestHash("a\nb", List.of(new OrderLine("A", 1))));
    }

    @Test
    void aRequestWithoutSeparatorsHashesAsBeforeSoAKeyStoredBeforeTheChangeRecognisesItsRetry() {
        // SHA-256 of "alice\nSKU-1\0" + "2\nSKU-2\0" + "1", the text the earlier version hashed.
        assertThat(PlaceOrder.requestHash("alice", List.of(new OrderLine("SKU-1", 2), new OrderLine("SKU-2", 1))))
                .isEqualTo("25bfc4e1ddfd630d2e66e2e8f8c9413078d06044ed6ebf24b81c54441fe1af64");
    }
}
