package io.shopflow.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Tokens a service must refuse with 401, each wrong in one way: expired, signed by another key, from another
 * issuer, unsigned ({@code alg: none}), or not a JWT at all. The signed ones are otherwise like
 * {@link DevTokens}' (subject, groups), so that only the one fault is what is refused.
 */
public final class BadTokens {

    private static PrivateKey devKey;
    private static PrivateKey strangerKey;

    private BadTokens() {
    }

    /** Signed with the development key, expired an hour ago. */
    public static String expired(String subject) {
        Instant issued = Instant.now().minus(DevTokens.LIFETIME).minus(Duration.ofHours(1));
        try {
            return new DevTokens(DevTokens.findKey()).mint(subject, true, issued);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Right claims, signed by a key no service trusts. */
    public static String wrongKey(String subject) {
        return claims(subject, DevTokens.ISSUER).sign(strangerKey());
    }

    /** Signed with the development key, from an issuer the services do not accept. */
    public static String wrongIssuer(String subject) {
        return claims(subject, "https://issuer.invalid/").sign(devKey());
    }

    /** The development token's claims with {@code alg: none} and no signature. */
    public static String unsigned(String subject) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = url.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String body = url.encodeToString(("{\"iss\":\"" + DevTokens.ISSUER + "\",\"sub\":\"" + subject + "\",\"upn\":\""
                + subject + "\",\"groups\":[\"ops\"],\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}")
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + body + ".";
    }

    /** Values of {@code Authorization} that hold no JWT at all, or not in the bearer scheme. */
    public static List<String> malformedAuthorizations() {
        return List.of("Bearer", "Bearer ", "Bearer not.a.token", "Bearer a.b", "Bearer ....", "Bearer %%%.%%%.%%%",
                "Bearer " + "A".repeat(4000), "Basic YWxpY2U6c2VjcmV0", "bearer", "Token abc", "Bearer eyJhbGciOiJSUzI1NiJ9",
                "Bearer " + truncatedSignature());
    }

    /** A real operator's token whose signature lost its last characters. */
    private static String truncatedSignature() {
        String token = TestTokens.ops();
        return token.substring(0, token.length() - 8);
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder claims(String subject, String issuer) {
        Instant now = Instant.now();
        return Jwt.issuer(issuer).subject(subject).upn(subject).groups("ops").issuedAt(now)
                .expiresAt(now.plus(Duration.ofHours(1)));
    }

    private static synchronized PrivateKey devKey() {
        if (devKey == null) {
            try {
                devKey = KeyUtils.decodePrivateKey(Files.readString(DevTokens.findKey()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return devKey;
    }

    private static synchronized PrivateKey strangerKey() {
        if (strangerKey == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                strangerKey = generator.generateKeyPair().getPrivate();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return strangerKey;
    }
}
