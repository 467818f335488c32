package io.shopflow.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code shopflow.orders.*}: limits of the public order API. */
@ConfigMapping(prefix = "shopflow.orders")
public interface OrderSettings {

    /** Most lines one order may have. */
    @WithDefault("50")
    int maxLines();
}
