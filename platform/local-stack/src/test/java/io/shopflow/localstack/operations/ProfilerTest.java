package io.shopflow.localstack.operations;

import io.shopflow.localstack.LauncherFixture;
import io.shopflow.localstack.StackCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProfilerTest {

    @Test
    void profilesTenOrdersASecondForAMinuteIntoTargetProfilesByDefault() {
        Profiler.Options defaults = options("profile");
        Profiler.Options given = options("profile", "--rate", "40", "--duration", "30", "--out", "/tmp/profiles");

        assertThat(defaults.rate()).isEqualTo(10.0);
        assertThat(defaults.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.warmUp()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.out()).isEqualTo(StackCommand.REPOSITORY.resolve("target/profiles"));
        assertThat(given.rate()).isEqualTo(40.0);
        assertThat(given.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(given.out()).isEqualTo(Path.of("/tmp/profiles"));
    }

    @Test
    void ranksMethodsBySelfAndByTotalSamplesCountingARecursiveFrameOncePerStack(@TempDir Path dir) throws Exception {
        Path collapsed = dir.resolve("p.collapsed");
        Files.writeString(collapsed, String.join("\n",
                "Thread.run;Consumer.poll;Inbox.insert 6",
                "Thread.run;Consumer.poll;Serde.decode 3",
                "Thread.run;Outer.call;Outer.call;Serde.decode 1",
                ""));

        Profiler.HotMethods hot = Profiler.HotMethods.read(collapsed);

        assertThat(hot.samples()).isEqualTo(10);
        assertThat(hot.bySelf()).first().isEqualTo(Map.entry("Inbox.insert", 6L));
        assertThat(hot.self()).containsEntry("Serde.decode", 4L).doesNotContainKey("Thread.run");
        assertThat(hot.total()).containsEntry("Thread.run", 10L).containsEntry("Consumer.poll", 9L)
                .containsEntry("Outer.call", 1L);
        assertThat(hot.report(2)).contains("60.0 %  Inbox.insert", "100.0 %  Thread.run");
        assertThat(hot.categories()).containsOnly(Map.entry("other", 10L));
    }

    @Test
    void putsASampleInTheFirstCategoryWhoseFrameIsOnItsStack(@TempDir Path dir) throws Exception {
        Path collapsed = dir.resolve("p.collapsed");
        Files.writeString(collapsed, String.join("\n",
                "clone3;start_thread;CompileBroker::compiler_thread_loop;C2Compiler::compile_method 4",
                "Thread.run;org/apache/kafka/clients/consumer/KafkaConsumer.poll;org/apache/avro/io/BinaryDecoder.read 2",
                "Thread.run;io/vertx/pgclient/impl/PgSocketConnection.handleMessage;org/hibernate/Session.find 3",
                ""));

        Profiler.HotMethods hot = Profiler.HotMethods.read(collapsed);

        assertThat(hot.categories()).containsOnly(Map.entry("JIT compiler", 4L), Map.entry("Avro serde", 2L),
                Map.entry("PostgreSQL client (Vert.x) + Hibernate Reactive", 3L));
        assertThat(hot.report(1)).contains("By category:", "44.4 %  JIT compiler");
    }

    @Test
    void countsTheCdcRelaysOwnWorkApartFromItsKafkaAndJdbcCalls(@TempDir Path dir) throws Exception {
        Path collapsed = dir.resolve("p.collapsed");
        Files.writeString(collapsed, String.join("\n",
                "Thread.run;io/shopflow/relay/cdc/CdcSource.read;io/shopflow/relay/cdc/PgOutput.decode 5",
                "Thread.run;io/shopflow/relay/cdc/CdcSource.read;org/postgresql/core/PGStream.receive 2",
                "Thread.run;io/shopflow/relay/cdc/CdcSource.send;org/apache/kafka/clients/producer/KafkaProducer.send 3",
                ""));

        Profiler.HotMethods hot = Profiler.HotMethods.read(collapsed);

        assertThat(hot.categories()).containsOnly(Map.entry("relay CDC (pgoutput decoding, pipeline)", 5L),
                Map.entry("PostgreSQL JDBC", 2L), Map.entry("Kafka producer", 3L));
    }

    private static Profiler.Options options(String... args) {
        return LauncherFixture.arguments(Profiler.Arguments.class, args).options(StackCommand.REPOSITORY);
    }
}
