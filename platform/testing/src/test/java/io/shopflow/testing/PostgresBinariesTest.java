package io.shopflow.testing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded PostgreSQL runs on the laptops developers have, not only on this project's
 * linux-amd64 CI: zonky's resolver looks for {@code postgres-<os>-<arch>.txz} on the class path,
 * so each platform's archive must be there.
 */
class PostgresBinariesTest {

    @ParameterizedTest
    @ValueSource(strings = {"linux-x86_64", "linux-arm_64", "darwin-x86_64", "darwin-arm_64"})
    void shipsThePostgresBinariesOf(String platform) {
        assertThat(getClass().getClassLoader().getResource("postgres-" + platform + ".txz"))
                .as("PostgreSQL binaries for %s on the class path", platform).isNotNull();
    }
}
