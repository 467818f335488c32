package io.shopflow.web;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest {

    @Test
    void theCustomerIsTheSubjectWhateverTheUpnAndPreferredUsernameSay() {
        SecurityIdentity alice = customer(claims -> {
            claims.setSubject("alice");
            claims.setClaim("upn", "bob");
            claims.setClaim("preferred_username", "bob");
        });

        assertThat(alice.getPrincipal().getName()).as("what MicroProfile JWT calls the principal").isEqualTo("bob");
        assertThat(Caller.customerId(alice)).isEqualTo("alice");
        assertThat(Caller.mayActFor(alice, "alice")).isTrue();
        assertThat(Caller.mayActFor(alice, "bob")).isFalse();
    }

    @Test
    void refusesACallerWithoutASubject() {
        SecurityIdentity named = customer(claims -> claims.setClaim("upn", "alice"));

        assertThatThrownBy(() -> Caller.customerId(named)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> Caller.mayActFor(named, "alice")).isInstanceOf(ForbiddenException.class);
    }

    private static SecurityIdentity customer(Consumer<JwtClaims> claims) {
        JwtClaims token = new JwtClaims();
        claims.accept(token);
        return QuarkusSecurityIdentity.builder().setPrincipal(new DefaultJWTCallerPrincipal(token))
                .addRole(Caller.CUSTOMER).build();
    }
}
