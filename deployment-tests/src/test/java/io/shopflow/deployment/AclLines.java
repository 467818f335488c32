package io.shopflow.deployment;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.utils.SecurityUtils;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * An ALLOW ACL on a literal name as one line, {@code <principal> <operation> <topic|group> <name>}, with the
 * names kafka-acls.sh and Strimzi use ({@code Read}, {@code DescribeConfigs}): how {@code infra/kafka/acls.txt}
 * writes them, and how the tests hold compose's and Kubernetes' ACLs to {@code KafkaAccess}.
 */
final class AclLines {

    private AclLines() {
    }

    static List<String> of(Collection<AclBinding> acls) {
        return acls.stream().map(AclLines::of).toList();
    }

    static String of(AclBinding acl) {
        return of(acl.entry().principal().substring("User:".length()), SecurityUtils.operationName(acl.entry().operation()),
                acl.pattern().resourceType().name().toLowerCase(Locale.ROOT), acl.pattern().name());
    }

    static String of(String principal, String operation, String resourceType, String name) {
        return principal + " " + operation + " " + resourceType + " " + name;
    }
}
