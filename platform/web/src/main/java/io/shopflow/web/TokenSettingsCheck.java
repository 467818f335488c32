package io.shopflow.web;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.util.ResourceUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses to start a service whose token verification is not fit for where it runs. Everywhere: tokens must be
 * checked for Shopflow's audience ({@code mp.jwt.verify.audiences}) and carry a subject
 * ({@code smallrye.jwt.required.claims} includes {@code sub}; {@link Caller} takes the customer from it). Outside
 * development, the DEVELOPMENT key and issuer are refused: the key's private half is in the repository, so anyone could
 * sign tokens the service would accept. The key is the development one when {@code SHOPFLOW_JWT_PUBLIC_KEY} is unset
 * (the packaged {@value #DEVELOPMENT_KEY_LOCATION}) or names a copy of it (a file with the same PEM content, e.g. the
 * Kubernetes ConfigMap made from {@code infra/dev-keys} for dev).
 *
 * <p>Development is the {@code dev} and {@code test} profiles, or {@code shopflow.development=true}
 * ({@code SHOPFLOW_DEVELOPMENT}): the local stack, compose and the Kubernetes dev overlay say so. Images and the
 * Kubernetes prod overlay run the {@code prod} profile without it. Observed before the other start-up observers (the
 * consumers, the jobs), so a refused service never takes part; Flyway's migration at start has run by then.
 */
@ApplicationScoped
public class TokenSettingsCheck {

    /** Where {@code io.shopflow:web} packages the development public key, the services' default key location. */
    public static final String DEVELOPMENT_KEY_LOCATION = "shopflow/dev-keys/jwt-public.pem";
    /** The issuer of the development tokens ({@code DevTokens}), the services' default issuer. */
    public static final String DEVELOPMENT_ISSUER = "https://shopflow.local/dev";

    private static final String UNSET_OR_DEVELOPMENT_KEY = "SHOPFLOW_JWT_PUBLIC_KEY is unset or names (a copy of) the"
            + " development key " + DEVELOPMENT_KEY_LOCATION + ", whose private half is in the repository. Set it to"
            + " your identity provider's public key (a PEM or JWK file, or a JWKS URL).";

    private final JWTAuthContextInfo settings;
    private final boolean developmentDeclared;

    TokenSettingsCheck(JWTAuthContextInfo settings,
                       @ConfigProperty(name = "shopflow.development", defaultValue = "false") boolean development) {
        this.settings = settings;
        this.developmentDeclared = development;
    }

    void refuseToStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent starting) {
        List<String> profiles = ConfigUtils.getProfiles();
        check(settings, developmentDeclared || profiles.contains("dev") || profiles.contains("test"));
    }

    /**
     * Throws a {@link ConfigurationException} (Quarkus prints its message alone and stops) naming every setting that
     * is not fit: {@code settings} as smallrye-jwt reads them, in a {@code development} setup or not.
     */
    public static void check(JWTAuthContextInfo settings, boolean development) {
        List<String> problems = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        if (settings.getExpectedAudience() == null || settings.getExpectedAudience().isEmpty()) {
            problems.add("mp.jwt.verify.audiences (SHOPFLOW_JWT_AUDIENCE) is empty: tokens issued for any other"
                    + " application would be accepted. Set it to Shopflow's audience, e.g. shopflow.");
            keys.add("mp.jwt.verify.audiences");
        }
        if (settings.getRequiredClaims() == null || !settings.getRequiredClaims().contains("sub")) {
            problems.add("smallrye.jwt.required.claims does not include sub: the customer id is the token's subject.");
            keys.add("smallrye.jwt.required.claims");
        }
        if (!development) {
            developmentKeyProblem(settings).ifPresent(problem -> {
                problems.add(problem);
                keys.add("mp.jwt.verify.publickey.location");
            });
            if (settings.getIssuedBy() == null || DEVELOPMENT_ISSUER.equals(settings.getIssuedBy())) {
                problems.add("SHOPFLOW_JWT_ISSUER is unset or the development issuer " + DEVELOPMENT_ISSUER
                        + ". Set it to your identity provider's issuer (the tokens' iss).");
                keys.add("mp.jwt.verify.issuer");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Refusing to start: the JWT verification settings are not fit for"
                    + " this environment.\n - " + String.join("\n - ", problems)
                    + (development ? "" : "\nA development setup (the local stack, compose, the Kubernetes dev"
                    + " overlay) says so with SHOPFLOW_DEVELOPMENT=true."), keys);
        }
    }

    /**
     * smallrye-jwt reads a key file or class-path resource when it starts ({@code getPublicKeyContent}); only an
     * http(s) location (the identity provider's JWKS) stays a location, fetched as tokens arrive.
     */
    private static Optional<String> developmentKeyProblem(JWTAuthContextInfo settings) {
        if (settings.getPublicKeyContent() != null) {
            return withoutWhiteSpace(settings.getPublicKeyContent()).equals(withoutWhiteSpace(developmentKey()))
                    ? Optional.of(UNSET_OR_DEVELOPMENT_KEY) : Optional.empty();
        }
        if (settings.getPublicKeyLocation() != null || settings.getPublicVerificationKey() != null) {
            return Optional.empty();
        }
        return Optional.of(UNSET_OR_DEVELOPMENT_KEY);
    }

    private static String developmentKey() {
        try {
            return ResourceUtils.readResource(ResourceUtils.CLASSPATH_SCHEME + DEVELOPMENT_KEY_LOCATION);
        } catch (IOException e) {
            throw new UncheckedIOException("io.shopflow:web packages " + DEVELOPMENT_KEY_LOCATION, e);
        }
    }

    /** A key's text without white space: copies of one key may wrap or end their lines differently. */
    private static String withoutWhiteSpace(String key) {
        return key.replaceAll("\\s", "");
    }
}
