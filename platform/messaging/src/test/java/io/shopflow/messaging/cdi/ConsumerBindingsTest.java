package io.shopflow.messaging.cdi;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.messaging.MessageHandler;
import io.smallrye.mutiny.Uni;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a service's handler classes declare, read as {@link ConsumerBindings} reads them at start-up
 * from each {@link MessageHandler} bean's class. Starting the consumers themselves is covered by
 * every service's {@code @QuarkusTest}s, against the real Kafka and PostgreSQL.
 */
class ConsumerBindingsTest {

    /** Does nothing: only the classes' annotations matter here. */
    abstract static class Handler implements MessageHandler {
        @Override
        public Uni<Void> handle(Mutiny.Session session, SpecificRecord message, MessageMetadata metadata) {
            return Uni.createFrom().voidItem();
        }
    }

    @ConsumerBinding(group = ConsumerGroups.SAGA,
            topics = {Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS})
    static class SagaHandler extends Handler {
    }

    @ConsumerBinding(group = ConsumerGroups.ORDER, topics = Topics.ORDER_COMMANDS)
    static class OrderHandler extends Handler {
    }

    @ConsumerBinding(group = ConsumerGroups.ORDER, topics = Topics.ORDER_EVENTS)
    static class SecondOrderHandler extends Handler {
    }

    @ConsumerBinding(group = ConsumerGroups.NOTIFICATION, topics = {})
    static class TopiclessHandler extends Handler {
    }

    @ConsumerBinding(group = ConsumerGroups.NOTIFICATION, topics = {Topics.ORDER_EVENTS, " "})
    static class BlankTopicHandler extends Handler {
    }

    @ConsumerBinding(group = "", topics = Topics.ORDER_EVENTS)
    static class GrouplessHandler extends Handler {
    }

    /** A handler bean without a binding: consumes nothing. */
    static class UnboundHandler extends Handler {
    }

    /** Like ArC's client proxy of a bound handler: a subclass, which does not carry the annotation. */
    static class ProxyOfOrderHandler extends OrderHandler {
    }

    @Test
    void readsEachBoundHandlerClassesGroupAndTopicsInGroupOrder() {
        List<ConsumerBindings.Binding> bindings =
                ConsumerBindings.declared(List.of(SagaHandler.class, UnboundHandler.class, OrderHandler.class));

        assertThat(bindings).containsExactly(
                new ConsumerBindings.Binding(OrderHandler.class, ConsumerGroups.ORDER, List.of(Topics.ORDER_COMMANDS)),
                new ConsumerBindings.Binding(SagaHandler.class, ConsumerGroups.SAGA,
                        List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS)));
    }

    @Test
    void aSubclassSuchAsAClientProxyDeclaresNothingSoBindingsAreReadFromTheBeanClass() {
        assertThat(ProxyOfOrderHandler.class.isAnnotationPresent(ConsumerBinding.class)).isFalse();
        assertThat(ConsumerBindings.declared(List.of(ProxyOfOrderHandler.class))).isEmpty();
    }

    @Test
    void refusesTwoBindingsOfOneGroupNamingBothClasses() {
        assertThatThrownBy(() -> ConsumerBindings.declared(List.of(OrderHandler.class, SecondOrderHandler.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Consumer group \"order-service\" is declared twice")
                .hasMessageContaining(OrderHandler.class.getName())
                .hasMessageContaining(SecondOrderHandler.class.getName());
    }

    @Test
    void refusesABindingWithoutTopics() {
        assertThatThrownBy(() -> ConsumerBindings.declared(List.of(OrderHandler.class, TopiclessHandler.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("@ConsumerBinding(group = \"notification-service\", topics = []) on "
                        + TopiclessHandler.class.getName() + " declares no topics or a blank one: name at least "
                        + "one, each a constant of io.shopflow.contracts.Topics");
    }

    @Test
    void refusesABlankTopicOrGroup() {
        assertThatThrownBy(() -> ConsumerBindings.declared(List.of(BlankTopicHandler.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(BlankTopicHandler.class.getName() + " declares no topics or a blank one");
        assertThatThrownBy(() -> ConsumerBindings.declared(List.of(GrouplessHandler.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(GrouplessHandler.class.getName() + " has a blank group");
    }
}
