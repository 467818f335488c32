package io.shopflow.messaging.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares what a service consumes: put on the class of a {@link io.shopflow.messaging.MessageHandler}
 * bean (for example an {@code @ApplicationScoped} one), it makes that handler consume {@link #topics()}
 * as consumer group {@link #group()}, e.g.
 * {@code @ConsumerBinding(group = ConsumerGroups.ORDER, topics = Topics.ORDER_COMMANDS)}.
 * {@link ConsumerBindings} does the rest: a {@link io.shopflow.messaging.ReliableConsumer} with
 * {@link io.shopflow.messaging.ConsumerSettings#defaults the default settings} (retry topic
 * {@code shopflow.<group>.retry}, dead-letter topic {@code shopflow.<group>.dlq}) and an
 * {@link io.shopflow.messaging.InboxProcessor} of the group, started with the application and
 * reported as the readiness check {@code consumer-<group>}.
 *
 * <p>Use the constants of {@code io.shopflow.contracts.ConsumerGroups} and
 * {@code io.shopflow.contracts.Topics}: other parts of the system (the saga's backlog probe,
 * manifests, ACLs) name the same groups and topics.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConsumerBinding {

    /** The consumer group; no other binding of the service may declare it. */
    String group();

    /** The topics to consume; at least one. */
    String[] topics();
}
