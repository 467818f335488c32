package io.shopflow.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProfilerTest {

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
    }
}
