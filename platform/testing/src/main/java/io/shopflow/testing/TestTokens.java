package io.shopflow.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * Real RS256 tokens for tests, minted by {@link DevTokens} with the DEVELOPMENT key in {@code infra/dev-keys}
 * (the services verify them with its public half, as in the local stack). Subject = customer id;
 * group {@code customer} or {@code ops}; audience {@value DevTokens#AUDIENCE}.
 */
public final class TestTokens {

    private static DevTokens tokens;

    private TestTokens() {
    }

    public static String customer(String customerId) {
        return tokens().mint(customerId, false, Instant.now());
    }

    /**
     * {@code customerId}'s token with its claims changed by {@code change} (e.g. {@code c -> c.remove("aud")}), for
     * tests of the tokens a service refuses.
     */
    public static String customerWith(String customerId, UnaryOperator<JwtClaimsBuilder> change) {
        return tokens().sign(change.apply(tokens().claims(customerId, false, Instant.now())));
    }

    public static String ops() {
        return tokens().mint("ops-test", true, Instant.now());
    }

    /** RestAssured {@code given()} authenticated as an operator. */
    public static RequestSpecification asOps() {
        return RestAssured.given().auth().oauth2(ops());
    }

    /** RestAssured {@code given()} authenticated as {@code customerId}. */
    public static RequestSpecification asCustomer(String customerId) {
        return RestAssured.given().auth().oauth2(customer(customerId));
    }

    private static synchronized DevTokens tokens() {
        if (tokens == null) {
            try {
                tokens = new DevTokens(DevTokens.findKey());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return tokens;
    }
}
