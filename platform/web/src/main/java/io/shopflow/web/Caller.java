package io.shopflow.web;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, from the verified JWT: the subject is the customer id; the {@code ops} group
 * may act on any customer's resources. Resources of another customer are answered with 404, not
 * 403, so that their existence does not leak.
 */
public final class Caller {

    public static final String OPS = "ops";

    private Caller() {
    }

    public static boolean isOps(SecurityIdentity identity) {
        return identity.hasRole(OPS);
    }

    /** True when the caller may see or act on {@code customerId}'s resources. */
    public static boolean mayActFor(SecurityIdentity identity, String customerId) {
        return isOps(identity) || (customerId != null && customerId.equals(identity.getPrincipal().getName()));
    }
}
