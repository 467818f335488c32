package io.shopflow.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Mints RS256 JWTs with the DEVELOPMENT key pair in {@code infra/dev-keys} for the local stack:
 * subject = customer id, group {@code customer} or {@code ops}. Plain JDK crypto, so the launcher
 * needs no JWT library; the services verify with smallrye-jwt.
 */
public final class DevTokens {

    static final String ISSUER = "https://shopflow.local/dev";
    static final Duration LIFETIME = Duration.ofHours(12);

    private final PrivateKey key;

    public DevTokens(Path privateKeyPem) throws IOException, GeneralSecurityException {
        String pem = Files.readString(privateKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    public String mint(String subject, boolean ops, Instant now) throws GeneralSecurityException {
        if (!subject.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("subject must be 1-64 of [A-Za-z0-9._@-]: " + subject);
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject + "\","
                + "\"groups\":[\"" + (ops ? "ops" : "customer") + "\"],"
                + "\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(LIFETIME).getEpochSecond() + ","
                + "\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64Url(rsa.sign());
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
