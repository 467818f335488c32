package io.shopflow.localstack.launcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfrastructureTest {

    @Test
    void readsDurationsAsTheServicesConfigurationDoes() {
        assertThat(Infrastructure.duration("X", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Infrastructure.duration("X", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Infrastructure.duration("X", "10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Infrastructure.duration("X", " 2H ")).isEqualTo(Duration.ofHours(2));
        assertThat(Infrastructure.duration("X", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Infrastructure.duration("X", "PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Infrastructure.duration("X", "P7D")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void refusesWhatIsNotAPositiveDurationNamingTheSetting() {
        assertThatThrownBy(() -> Infrastructure.duration("SHOPFLOW_TOPIC_RETENTION", "600000"))
                .hasMessageStartingWith("SHOPFLOW_TOPIC_RETENTION=600000 is not a duration")
                .hasMessageContaining("10m");
        assertThatThrownBy(() -> Infrastructure.duration("X", "10 minutes")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Infrastructure.duration("X", "1.5h")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Infrastructure.duration("X", "99999999999999999999d"))
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Infrastructure.duration("X", "0s")).hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> Infrastructure.duration("X", "-PT10M")).hasMessageContaining("longer than zero");
    }

    @Test
    void topicsGetTheRetentionAndSegmentsNoLongerThanIt() {
        assertThat(Infrastructure.kafkaSettings("10m"))
                .isEqualTo(Map.of("log.retention.ms", "600000", "log.roll.ms", "600000"));
        assertThat(Infrastructure.kafkaSettings("30d"))
                .isEqualTo(Map.of("log.retention.ms", "2592000000", "log.roll.ms", "604800000"));
    }

    @Test
    void topicsKeepTheBrokersDefaultsWhenNoRetentionIsSet() {
        assertThat(Infrastructure.kafkaSettings(null)).isEmpty();
        assertThat(Infrastructure.kafkaSettings(" ")).isEmpty();
    }
}
