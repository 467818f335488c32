package io.shopflow.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * Real RS256 tokens for tests, signed with the DEVELOPMENT key in {@code infra/dev-keys} (the
 * services verify them with its public half, as in the local stack). Subject = customer id;
 * group {@code customer} or {@code ops}.
 */
public final class TestTokens {

    public static final String ISSUER = "https://shopflow.local/dev";

    private static PrivateKey key;

    private TestTokens() {
    }

    public static String customer(String customerId) {
        return sign(customerId, "customer");
    }

    public static String ops() {
        return sign("ops-test", "ops");
    }

    /** RestAssured {@code given()} authenticated as an operator. */
    public static RequestSpecification asOps() {
        return RestAssured.given().auth().oauth2(ops());
    }

    /** RestAssured {@code given()} authenticated as {@code customerId}. */
    public static RequestSpecification asCustomer(String customerId) {
        return RestAssured.given().auth().oauth2(customer(customerId));
    }

    private static String sign(String subject, String group) {
        return Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.of(group)).expiresIn(3600)
                .sign(privateKey());
    }

    private static synchronized PrivateKey privateKey() {
        if (key == null) {
            try {
                String pem = Files.readString(findKey()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                        Base64.getDecoder().decode(pem)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return key;
    }

    /** infra/dev-keys/jwt-private.pem, searched upwards from the working directory (a module). */
    private static Path findKey() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("infra/dev-keys/jwt-private.pem");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("infra/dev-keys/jwt-private.pem not found above " + Path.of("").toAbsolutePath());
    }
}
