package io.shopflow.contracts;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaAccessTest {

    @Test
    void eachConsumerGroupIsAServiceAndItsPrincipal() {
        assertThat(KafkaAccess.SERVICES).extracting(KafkaAccess.Service::principal)
                .containsExactlyElementsOf(ConsumerGroups.ALL);
        assertThat(KafkaAccess.PRINCIPALS).containsExactly(ConsumerGroups.ORDER, ConsumerGroups.INVENTORY,
                ConsumerGroups.PAYMENT, ConsumerGroups.NOTIFICATION, ConsumerGroups.SAGA, KafkaAccess.RELAY);
    }

    @Test
    void everyTopicIsFilledByExactlyOneOutbox() {
        List<String> published = KafkaAccess.SERVICES.stream().flatMap(s -> s.publishes().stream()).toList();
        assertThat(published).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void noServiceWritesAnythingButItsOwnRetryAndDeadLetterTopics() {
        for (KafkaAccess.Service service : KafkaAccess.SERVICES) {
            assertThat(KafkaAccess.acls(service.principal()).stream()
                    .filter(acl -> acl.entry().operation() == AclOperation.WRITE).map(acl -> acl.pattern().name()))
                    .as(service.principal()).containsExactlyInAnyOrder(service.retryTopic(), service.deadLetterTopic());
        }
        assertThat(KafkaAccess.acls(ConsumerGroups.INVENTORY)).noneMatch(acl -> acl.pattern().name()
                .equals(Topics.ORDER_COMMANDS) && acl.entry().operation() != AclOperation.DESCRIBE);
    }

    @Test
    void theRelayOnlyWritesTheTopicsOfTheOutboxes() {
        assertThat(KafkaAccess.acls(KafkaAccess.RELAY)).allMatch(acl -> acl.entry().operation() == AclOperation.WRITE
                        && acl.pattern().resourceType() == ResourceType.TOPIC)
                .extracting(acl -> acl.pattern().name()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void theSagaMayDescribeTheGroupsThatConsumeItsCommandsForItsBacklogProbe() {
        assertThat(KafkaAccess.acls(ConsumerGroups.SAGA).stream()
                .filter(acl -> acl.pattern().resourceType() == ResourceType.GROUP
                        && acl.entry().operation() == AclOperation.DESCRIBE)
                .map(acl -> acl.pattern().name()))
                .containsExactlyInAnyOrder(ConsumerGroups.ORDER, ConsumerGroups.INVENTORY, ConsumerGroups.PAYMENT);
    }

    @Test
    void aclsAreAllowsOnLiteralNamesForTheirUserFromAnyHost() {
        for (AclBinding acl : KafkaAccess.acls()) {
            assertThat(acl.entry().principal()).startsWith("User:");
            assertThat(acl.entry().host()).isEqualTo("*");
            assertThat(acl.pattern().patternType().name()).isEqualTo("LITERAL");
        }
        assertThat(KafkaAccess.acls()).doesNotHaveDuplicates();
        assertThatThrownBy(() -> KafkaAccess.acls("stranger")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stranger");
    }
}
