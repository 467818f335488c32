package io.shopflow.web;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, from the verified JWT: the token's subject ({@code sub}) is the customer id; the {@code ops} group
 * may act on any customer's resources. Resources of another customer are answered with 404, not 403, so that their
 * existence does not leak.
 *
 * <p>The customer is the subject, not the principal's name: MicroProfile JWT takes that from {@code upn} or
 * {@code preferred_username} first, claims an identity provider may fill with something else than the id (an email, a
 * display name) or let a user choose. The services require {@code sub} ({@code smallrye.jwt.required.claims=sub}).
 */
public final class Caller {

    /** The group of a customer's token: customer endpoints need it (or {@link #OPS}). */
    public static final String CUSTOMER = "customer";
    public static final String OPS = "ops";

    private Caller() {
    }

    public static boolean isOps(SecurityIdentity identity) {
        return identity.hasRole(OPS);
    }

    /** The customer id of the caller: its token's subject; a caller without one is refused (403). */
    public static String customerId(SecurityIdentity identity) {
        String subject = identity.getPrincipal() instanceof JsonWebToken token ? token.getSubject() : null;
        if (subject == null || subject.isBlank()) {
            throw new ForbiddenException("The token has no subject (sub)");
        }
        return subject;
    }

    /** True when the caller may see or act on {@code customerId}'s resources. */
    public static boolean mayActFor(SecurityIdentity identity, String customerId) {
        return isOps(identity) || (customerId != null && customerId.equals(customerId(identity)));
    }
}
