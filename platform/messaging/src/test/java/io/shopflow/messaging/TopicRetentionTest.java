package io.shopflow.messaging;

import io.shopflow.testing.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The start-up check of the inbox window against the consumed topics' retention, on the real in-JVM broker. */
class TopicRetentionTest {

    private static final Duration INBOX = Duration.ofDays(8);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaBroker broker = KafkaBroker.shared();

    @Test
    void passesWhenEveryConsumedTopicKeepsRecordsShorterThanTheInboxRemembers() throws Exception {
        String events = topic(Duration.ofDays(7));
        String retry = topic(Duration.ofDays(1));

        assertThatCode(() -> TopicRetention.check(broker.connection(), List.of(events, retry), INBOX, TIMEOUT))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesATopicThatKeepsRecordsAsLongOrLongerOrForEverAndNamesWhatToChange() throws Exception {
        String fine = topic(Duration.ofDays(7));
        String month = topic(Duration.ofDays(30));
        String forever = topic(null);

        assertThatThrownBy(() -> TopicRetention.check(broker.connection(), List.of(fine, month, forever), INBOX,
                TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PT192H (shopflow.retention.inbox)")
                .hasMessageContaining(month + " keeps records for PT720H (retention.ms=2592000000)")
                .hasMessageContaining(forever + " keeps records for ever (retention.ms=-1)")
                .hasMessageNotContaining(fine + " keeps")
                .hasMessageContaining("SHOPFLOW_RETENTION_INBOX");
    }

    @Test
    void aTopicThatDoesNotExistYetIsNotChecked() {
        assertThatCode(() -> TopicRetention.check(broker.connection(), List.of("shopflow.not-yet-" + UUID.randomUUID()),
                INBOX, TIMEOUT)).doesNotThrowAnyException();
    }

    /**
     * A new topic keeping records for {@code retention} (null: for ever), once the broker describes it:
     * the controller answers the creation before the broker has applied it, and until then the broker
     * answers that the topic does not exist, which the check takes for "not created yet" (this test
     * failed so on a busy machine).
     */
    private String topic(Duration retention) throws Exception {
        String topic = "retention-" + UUID.randomUUID();
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("retention.ms",
                    retention == null ? "-1" : Long.toString(retention.toMillis()))))).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                            .all().get(30, TimeUnit.SECONDS) != null);
        }
        return topic;
    }
}
