package io.shopflow.testing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevTokensTest {

    private static final Path KEYS = DevTokens.findKey().getParent();

    @Test
    void mintsAnRs256TokenThatTheDevelopmentPublicKeyVerifies() throws Exception {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        String token = new DevTokens(KEYS.resolve("jwt-private.pem")).mint("alice", false, now);

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(publicKey());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"sub\":\"alice\"", "\"groups\":[\"customer\"]",
                "\"iss\":\"" + DevTokens.ISSUER + "\"", "\"aud\":\"" + DevTokens.AUDIENCE + "\"",
                "\"exp\":" + (1_800_000_000L + 12 * 3600));
    }

    @Test
    void mintsOpsTokensAndRefusesOddSubjects() throws Exception {
        DevTokens tokens = new DevTokens(KEYS.resolve("jwt-private.pem"));
        String claims = new String(Base64.getUrlDecoder().decode(tokens.mint("op", true, Instant.now()).split("\\.")[1]),
                StandardCharsets.UTF_8);

        assertThat(claims).contains("\"groups\":[\"ops\"]");
        assertThatThrownBy(() -> tokens.mint("a\",\"groups\":[\"ops", false, Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PublicKey publicKey() throws Exception {
        String pem = Files.readString(KEYS.resolve("jwt-public.pem")).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
}
