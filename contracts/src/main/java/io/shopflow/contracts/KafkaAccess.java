package io.shopflow.contracts;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who may do what on Kafka (ADR 14): each service is its own principal, named as its consumer group,
 * and the outbox relay is one more. This is the one description of it; the embedded broker of the
 * tests and the local stack creates exactly these ACLs, and the deployment tests hold compose's and
 * Kubernetes' ACLs to them.
 *
 * <ul>
 *   <li>A service reads the topics it consumes and its own retry topic, in its consumer groups
 *       ({@code <group>} and {@code <group>-retry}); it writes only its retry and dead-letter topics
 *       (dead letters are replayed through the retry topic) and reads its dead-letter topic (the ops
 *       endpoint lists it). It reads the configuration of what it consumes (the retention check,
 *       ADR 12) and may describe the topics its outbox publishes and the groups that consume them
 *       (the saga's backlog probe, ADR 8).</li>
 *   <li>A service never writes a domain topic, not even its own: its outbox does, through the relay,
 *       whose principal writes the topics of every service's outbox it reads.</li>
 * </ul>
 * Nobody but an administrator (a super user) creates topics or ACLs.
 */
public final class KafkaAccess {

    /**
     * One service as Kafka sees it.
     *
     * @param principal the SASL user name, also its consumer group (a constant of {@link ConsumerGroups})
     * @param publishes the topics its outbox writes (through the relay)
     * @param consumes  the topics its consumer group reads
     */
    public record Service(String principal, List<String> publishes, List<String> consumes) {

        public Service {
            publishes = List.copyOf(publishes);
            consumes = List.copyOf(consumes);
        }

        public String group() {
            return principal;
        }

        /** The group of its retry topic's consumer. */
        public String retryGroup() {
            return group() + "-retry";
        }

        public String retryTopic() {
            return KafkaAccess.retryTopic(group());
        }

        public String deadLetterTopic() {
            return KafkaAccess.deadLetterTopic(group());
        }
    }

    public static final Service ORDER = new Service(ConsumerGroups.ORDER,
            List.of(Topics.ORDER_EVENTS), List.of(Topics.ORDER_COMMANDS));
    public static final Service INVENTORY = new Service(ConsumerGroups.INVENTORY,
            List.of(Topics.INVENTORY_EVENTS), List.of(Topics.INVENTORY_COMMANDS));
    public static final Service PAYMENT = new Service(ConsumerGroups.PAYMENT,
            List.of(Topics.PAYMENT_EVENTS), List.of(Topics.PAYMENT_COMMANDS));
    public static final Service NOTIFICATION = new Service(ConsumerGroups.NOTIFICATION,
            List.of(Topics.NOTIFICATION_EVENTS), List.of(Topics.ORDER_EVENTS));
    public static final Service SAGA = new Service(ConsumerGroups.SAGA,
            List.of(Topics.INVENTORY_COMMANDS, Topics.PAYMENT_COMMANDS, Topics.ORDER_COMMANDS, Topics.SAGA_EVENTS),
            List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS));

    /** Every service, in the order of {@link ConsumerGroups#ALL}. */
    public static final List<Service> SERVICES = List.of(ORDER, INVENTORY, PAYMENT, NOTIFICATION, SAGA);

    /** The outbox relay's principal: it publishes what every service's outbox holds. */
    public static final String RELAY = "outbox-relay";

    /** Every principal that gets ACLs: the services, then the relay. */
    public static final List<String> PRINCIPALS = Stream.concat(SERVICES.stream().map(Service::principal),
            Stream.of(RELAY)).toList();

    private KafkaAccess() {
    }

    /** {@code shopflow.<group>.retry}: a consumer group's delayed retries (ADR 5). */
    public static String retryTopic(String group) {
        return "shopflow." + group + ".retry";
    }

    /** {@code shopflow.<group>.dlq}: a consumer group's dead letters (ADR 5). */
    public static String deadLetterTopic(String group) {
        return "shopflow." + group + ".dlq";
    }

    /** Every topic to provision: {@link Topics#ALL}, then each service's retry and dead-letter topic. */
    public static List<String> topics() {
        List<String> topics = new ArrayList<>(Topics.ALL);
        SERVICES.forEach(s -> topics.addAll(List.of(s.retryTopic(), s.deadLetterTopic())));
        return List.copyOf(topics);
    }

    /** The service whose principal this is. */
    public static Service service(String principal) {
        return SERVICES.stream().filter(s -> s.principal().equals(principal)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No Shopflow service has the Kafka principal "
                        + principal + "; the services are " + SERVICES.stream().map(Service::principal).toList()));
    }

    /** The ACLs of every principal of {@link #PRINCIPALS}. */
    public static List<AclBinding> acls() {
        return PRINCIPALS.stream().flatMap(p -> acls(p).stream()).toList();
    }

    /** The ACLs (all of them ALLOW, on literal names, from any host) of one principal of {@link #PRINCIPALS}. */
    public static List<AclBinding> acls(String principal) {
        Set<AclBinding> acls = new LinkedHashSet<>();
        if (principal.equals(RELAY)) {
            SERVICES.forEach(s -> s.publishes().forEach(t -> acls.add(acl(principal, ResourceType.TOPIC, t,
                    AclOperation.WRITE))));
            return List.copyOf(acls);
        }
        Service service = service(principal);
        for (String topic : service.consumes()) {
            acls.add(acl(principal, ResourceType.TOPIC, topic, AclOperation.READ));
            acls.add(acl(principal, ResourceType.TOPIC, topic, AclOperation.DESCRIBE_CONFIGS));
        }
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(acl(principal, ResourceType.TOPIC, service.retryTopic(), operation));
        }
        acls.add(acl(principal, ResourceType.TOPIC, service.deadLetterTopic(), AclOperation.READ));
        acls.add(acl(principal, ResourceType.TOPIC, service.deadLetterTopic(), AclOperation.WRITE));
        acls.add(acl(principal, ResourceType.GROUP, service.group(), AclOperation.READ));
        acls.add(acl(principal, ResourceType.GROUP, service.retryGroup(), AclOperation.READ));
        for (String topic : service.publishes()) {
            acls.add(acl(principal, ResourceType.TOPIC, topic, AclOperation.DESCRIBE));
            SERVICES.stream().filter(consumer -> consumer.consumes().contains(topic))
                    .forEach(consumer -> acls.add(acl(principal, ResourceType.GROUP, consumer.group(),
                            AclOperation.DESCRIBE)));
        }
        return List.copyOf(acls);
    }

    private static AclBinding acl(String principal, ResourceType type, String name, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }
}
