package io.shopflow.localstack.operations;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The figures capacity and footprint print per process, read from {@code /proc}. */
class ProcessSamplerTest {

    @Test
    void measuresTheCpuAndMemoryOfAProcess() throws Exception {
        assumeTrue(ProcessSampler.supported(), "no /proc here: the commands say the figures read 0");
        Map<String, Supplier<List<ProcessHandle>>> self = Map.of("this JVM", () -> List.of(ProcessHandle.current()));
        ProcessSampler sampler = new ProcessSampler(self);
        sampler.start();
        long busyUntil = System.nanoTime() + 500_000_000L;
        double sink = 0;
        while (System.nanoTime() < busyUntil) {
            sink += Math.sqrt(sink + 1);
        }
        ProcessSampler.Usage usage = sampler.stop().get("this JVM");

        assertThat(sink).isPositive();
        assertThat(usage.cpuPercent()).as("half a second of one core, busy").isGreaterThan(20);
        assertThat(usage.maxRssMegabytes()).isPositive().isGreaterThanOrEqualTo(usage.maxPssMegabytes());
        assertThat(usage.maxPssMegabytes()).isPositive();
    }
}
