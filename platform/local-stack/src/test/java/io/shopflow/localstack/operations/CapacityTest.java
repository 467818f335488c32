package io.shopflow.localstack.operations;

import io.shopflow.localstack.LauncherFixture;
import io.shopflow.localstack.StackCommand;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CapacityTest {

    private static final Path REPOSITORY = StackCommand.REPOSITORY;

    @Test
    void goesPastTheKneeOnlyWhenAskedTo() {
        Capacity.Options ladder = options("capacity", "--rates", "100,150");
        Capacity.Options overload = options("capacity", "--rates", "100", "--step", "40", "--warm-up", "30",
                "--overload", "3");

        assertThat(ladder.rates()).isEqualTo(List.of(100.0, 150.0));
        assertThat(ladder.overload()).isZero();
        assertThat(ladder.charts()).isEqualTo(REPOSITORY.resolve("docs/benchmarks"));
        assertThat(overload.rates()).isEqualTo(List.of(100.0));
        assertThat(overload.step()).isEqualTo(Duration.ofSeconds(40));
        assertThat(overload.overload()).isEqualTo(3.0);
    }

    @Test
    void climbsTheDefaultLadderAfterTwoMinutesOfWarmUp() {
        Capacity.Options defaults = options("capacity");

        assertThat(defaults.rates()).isEqualTo(List.of(5.0, 10.0, 15.0, 20.0, 30.0, 40.0));
        assertThat(defaults.step()).isEqualTo(Duration.ofSeconds(45));
        assertThat(defaults.warmUp()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void anOverloadIsMoreThanTheKnee() {
        assertThat(LauncherFixture.usageError("capacity", "--overload", "1"))
                .startsWith("--overload is a factor over the knee, more than 1: 1.0\nUsage: local-stack.sh capacity");
        assertThat(LauncherFixture.usageError("capacity", "--overlaod", "3"))
                .startsWith("Unknown options: '--overlaod', '3'\nPossible solutions: --overload\nUsage:");
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

    private static Capacity.Options options(String... args) {
        return LauncherFixture.arguments(Capacity.Arguments.class, args).options(REPOSITORY);
    }
}
