package io.shopflow.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;

/**
 * Mints RS256 JWTs with the DEVELOPMENT key pair in {@code infra/dev-keys}: issuer {@value #ISSUER}, audience
 * {@value #AUDIENCE}, subject = the customer id (the services take the customer from {@code sub}), group
 * {@code customer} or {@code ops}. The project's one minter: {@link TestTokens}, the local
 * stack ({@code ./local-stack.sh token}, its demo, drills and load) and the Gatling simulations all sign with it;
 * the services verify with the public half.
 *
 * <p>smallrye-jwt-build reads its defaults through MicroProfile Config and checks claim values for JSON-P types,
 * so outside Quarkus the class path also needs a Config implementation (smallrye-config-core) and
 * jakarta.json-api, as the local stack and the load tests declare.
 */
public final class DevTokens {

    public static final String ISSUER = "https://shopflow.local/dev";
    /** The services' default {@code mp.jwt.verify.audiences} (SHOPFLOW_JWT_AUDIENCE). */
    public static final String AUDIENCE = "shopflow";
    /** Long enough for a soak that mints its customers' tokens once. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final String KEY = "infra/dev-keys/jwt-private.pem";

    private final PrivateKey key;

    /** Signs with {@code privateKeyPem}, a PKCS#8 PEM file such as {@code infra/dev-keys/jwt-private.pem}. */
    public DevTokens(Path privateKeyPem) throws IOException, GeneralSecurityException {
        key = KeyUtils.decodePrivateKey(Files.readString(privateKeyPem));
    }

    /** {@code infra/dev-keys/jwt-private.pem}, searched upwards from the working directory (a module or the repository). */
    public static Path findKey() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(KEY);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(KEY + " not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * A token for {@code subject} issued at {@code now}: a customer's, or an operator's with {@code ops}. A subject
     * is a plain id, 1-64 of {@code [A-Za-z0-9._@-]}; anything else is refused, most likely a quoting slip.
     */
    public String mint(String subject, boolean ops, Instant now) {
        return sign(claims(subject, ops, now));
    }

    /** The claims {@link #mint} signs, for a test that changes one of them before {@link #sign signing}. */
    public JwtClaimsBuilder claims(String subject, boolean ops, Instant now) {
        if (!subject.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("subject must be 1-64 of [A-Za-z0-9._@-]: " + subject);
        }
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).groups(ops ? "ops" : "customer")
                .issuedAt(now).expiresAt(now.plus(LIFETIME));
    }

    /** {@code claims} signed with the development key. */
    public String sign(JwtClaimsBuilder claims) {
        return claims.sign(key);
    }
}
