package io.shopflow.localstack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapacityTest {

    private static final Path REPOSITORY = Path.of("/repo");

    @Test
    void goesPastTheKneeOnlyWhenAskedTo() {
        Capacity.Options ladder = Capacity.options(new String[] {"--rates", "100,150"}, REPOSITORY);
        Capacity.Options overload = Capacity.options(new String[] {"--rates", "100", "--step", "40", "--warm-up", "30",
                "--overload", "3"}, REPOSITORY);

        assertThat(ladder.overload()).isZero();
        assertThat(ladder.charts()).isEqualTo(REPOSITORY.resolve("docs/benchmarks"));
        assertThat(overload.rates()).isEqualTo(List.of(100.0));
        assertThat(overload.step()).isEqualTo(Duration.ofSeconds(40));
        assertThat(overload.overload()).isEqualTo(3.0);
    }

    @Test
    void anOverloadIsMoreThanTheKnee() {
        assertThatThrownBy(() -> Capacity.options(new String[] {"--overload", "1"}, REPOSITORY))
                .hasMessageContaining("more than 1");
        assertThatThrownBy(() -> Capacity.options(new String[] {"--overlaod", "3"}, REPOSITORY))
                .hasMessageContaining("--overload <factor>");
    }

    @Test
    void percentileIsTheNearestRank() {
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }

        assertThat(Capacity.percentile(hundred, 0.99)).isEqualTo(99.0);
        assertThat(Capacity.percentile(hundred, 0.50)).isEqualTo(50.0);
        assertThat(Capacity.percentile(new double[0], 0.99)).isNaN();
    }
}
