package io.shopflow.contracts.serde;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Configuration keys of the serde switch, and the factory behind {@link MessageSerde#fromConfig}. */
public final class SerdeConfig {

    /** {@code catalog} (default) or {@code apicurio}. */
    public static final String MODE = "shopflow.serde.mode";
    /** Registry URL for the {@code apicurio} mode. */
    public static final String REGISTRY_URL = io.apicurio.registry.serde.config.SerdeConfig.REGISTRY_URL;

    private static final String APICURIO_PREFIX = "apicurio.registry.";

    private SerdeConfig() {
    }

    static MessageSerde create(Map<String, ?> config) {
        Object configured = config.get(MODE);
        String mode = (configured == null ? "catalog" : configured.toString()).trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "catalog":
                return new CatalogSerde();
            case "apicurio":
                Object url = config.get(REGISTRY_URL);
                if (url == null || url.toString().isBlank()) {
                    throw new IllegalArgumentException(MODE + "=apicurio needs " + REGISTRY_URL);
                }
                Map<String, Object> overrides = new HashMap<>();
                config.forEach((k, v) -> {
                    if (k.startsWith(APICURIO_PREFIX)) {
                        overrides.put(k, v);
                    }
                });
                return new ApicurioSerde(url.toString(), overrides);
            default:
                throw new IllegalArgumentException(MODE + " must be catalog or apicurio, not '" + mode + "'");
        }
    }
}
