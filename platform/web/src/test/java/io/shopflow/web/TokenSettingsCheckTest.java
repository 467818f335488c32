package io.shopflow.web;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.config.JWTAuthContextInfoProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenSettingsCheckTest {

    private static final String PRODUCTION_ISSUER = "https://auth.shopflow.example.com";

    @TempDir
    Path dir;

    @Test
    void refusesTheDevelopmentKeyAndIssuerOutsideDevelopmentNamingWhatToSet() {
        // What a service reads when SHOPFLOW_JWT_PUBLIC_KEY and SHOPFLOW_JWT_ISSUER are unset.
        JWTAuthContextInfo defaults = settings(TokenSettingsCheck.DEVELOPMENT_KEY_LOCATION,
                TokenSettingsCheck.DEVELOPMENT_ISSUER);

        assertThatThrownBy(() -> TokenSettingsCheck.check(defaults, false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SHOPFLOW_JWT_PUBLIC_KEY is unset or names (a copy of) the development key")
                .hasMessageContaining("SHOPFLOW_JWT_ISSUER is unset or the development issuer")
                .hasMessageContaining("SHOPFLOW_DEVELOPMENT=true")
                .satisfies(e -> assertThat(((ConfigurationException) e).getConfigKeys())
                        .containsExactly("mp.jwt.verify.publickey.location", "mp.jwt.verify.issuer"));
        // SHOPFLOW_JWT_PUBLIC_KEY and SHOPFLOW_JWT_ISSUER set to empty strings: no key, no issuer at all.
        JWTAuthContextInfo nothing = new JWTAuthContextInfo();
        nothing.setExpectedAudience(Set.of("shopflow"));
        nothing.setRequiredClaims(Set.of("sub"));
        assertThatThrownBy(() -> TokenSettingsCheck.check(nothing, false))
                .hasMessageContaining("SHOPFLOW_JWT_PUBLIC_KEY").hasMessageContaining("SHOPFLOW_JWT_ISSUER");
        assertThatThrownBy(() -> TokenSettingsCheck.check(
                settings("classpath:" + TokenSettingsCheck.DEVELOPMENT_KEY_LOCATION, PRODUCTION_ISSUER), false))
                .hasMessageContaining("SHOPFLOW_JWT_PUBLIC_KEY").hasMessageNotContaining("SHOPFLOW_JWT_ISSUER");
    }

    @Test
    void acceptsTheDevelopmentKeyAndIssuerInDevelopment() {
        assertThatCode(() -> TokenSettingsCheck.check(settings(TokenSettingsCheck.DEVELOPMENT_KEY_LOCATION,
                TokenSettingsCheck.DEVELOPMENT_ISSUER), true)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAnIdentityProvidersKeyAndIssuer() throws IOException {
        Path key = Files.writeString(dir.resolve("idp.pem"),
                "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnotthedevelopmentkey\n"
                        + "-----END PUBLIC KEY-----\n");

        assertThatCode(() -> TokenSettingsCheck.check(settings(key.toString(), PRODUCTION_ISSUER), false))
                .doesNotThrowAnyException();
        // A JWKS endpoint is smallrye-jwt's to fetch, as tokens arrive.
        assertThatCode(() -> TokenSettingsCheck.check(
                settings("https://auth.shopflow.example.com/jwks", PRODUCTION_ISSUER), false))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesACopyOfTheDevelopmentKeyOutsideDevelopment() throws IOException {
        // The Kubernetes dev instructions mount infra/dev-keys/jwt-public.pem as a file; with other line ends alike.
        String developmentKey = developmentKey().replace("\n", "\r\n");
        Path copy = Files.writeString(dir.resolve("jwt-public.pem"), developmentKey);

        assertThatThrownBy(() -> TokenSettingsCheck.check(settings(copy.toString(), PRODUCTION_ISSUER), false))
                .hasMessageContaining("SHOPFLOW_JWT_PUBLIC_KEY is unset or names (a copy of) the development key")
                .hasMessageNotContaining("SHOPFLOW_JWT_ISSUER");
        assertThatCode(() -> TokenSettingsCheck.check(settings(copy.toString(), PRODUCTION_ISSUER), true))
                .doesNotThrowAnyException();
    }

    @Test
    void requiresAnAudienceAndTheSubjectClaimEverywhere() {
        JWTAuthContextInfo anyAudience = settings(TokenSettingsCheck.DEVELOPMENT_KEY_LOCATION,
                TokenSettingsCheck.DEVELOPMENT_ISSUER);
        anyAudience.setExpectedAudience(null);
        JWTAuthContextInfo noSubject = settings(TokenSettingsCheck.DEVELOPMENT_KEY_LOCATION,
                TokenSettingsCheck.DEVELOPMENT_ISSUER);
        noSubject.setRequiredClaims(Set.of("groups"));

        assertThatThrownBy(() -> TokenSettingsCheck.check(anyAudience, true))
                .hasMessageContaining("SHOPFLOW_JWT_AUDIENCE").hasMessageNotContaining("SHOPFLOW_DEVELOPMENT");
        assertThatThrownBy(() -> TokenSettingsCheck.check(noSubject, true))
                .hasMessageContaining("smallrye.jwt.required.claims does not include sub");
    }

    /** What smallrye-jwt makes of the services' security settings, with this key location and issuer. */
    private static JWTAuthContextInfo settings(String keyLocation, String issuer) {
        JWTAuthContextInfo settings = JWTAuthContextInfoProvider.createWithKeyLocation(keyLocation, issuer)
                .getContextInfo();
        settings.setExpectedAudience(Set.of("shopflow"));
        settings.setRequiredClaims(Set.of("sub"));
        return settings;
    }

    private static String developmentKey() throws IOException {
        try (InputStream in = TokenSettingsCheckTest.class.getClassLoader()
                .getResourceAsStream(TokenSettingsCheck.DEVELOPMENT_KEY_LOCATION)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
