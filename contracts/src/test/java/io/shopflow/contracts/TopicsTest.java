package io.shopflow.contracts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {

    @Test
    void everyMessageTypeGoesToExactlyOneTopicAndEveryTopicCarriesOne() {
        List<Class<?>> carried = Topics.ALL.stream().<Class<?>>flatMap(t -> Topics.carried(t).stream()).toList();
        assertThat(carried).containsExactlyInAnyOrderElementsOf(Messages.ALL);
        assertThat(Topics.ALL).allSatisfy(topic -> assertThat(Topics.carried(topic)).isNotEmpty());
    }

    @Test
    void aTopicCarriesItsOwnTypesOnly() {
        assertThat(Topics.carries(Topics.INVENTORY_COMMANDS, "io.shopflow.contracts.inventory.ReserveStock")).isTrue();
        assertThat(Topics.carries(Topics.INVENTORY_COMMANDS, "io.shopflow.contracts.order.OrderPlaced")).isFalse();
        assertThat(Topics.carries("shopflow.inventory-service.retry", "io.shopflow.contracts.inventory.ReserveStock"))
                .isFalse();
    }
}
