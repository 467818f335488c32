package io.shopflow.payment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.shopflow.contracts.MessageHeaders;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.payment.AuthorizePayment;
import io.shopflow.contracts.payment.PaymentAuthorized;
import io.shopflow.messaging.FailureHeaders;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.PostgresServer;
import io.shopflow.testing.ServiceMessages;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.shopflow.payment.PaymentCommandsFixture.authorize;
import static io.shopflow.payment.PaymentCommandsFixture.newCustomer;
import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * payment-service through a PostgreSQL restart, as in the {@code postgres-restart} drill: an
 * AuthorizePayment that fails while the database is away goes to the retry topic, and the saga's
 * resend of the same command (a new message, so not one the inbox knows) arrives when that retry is
 * due. Both are then processed at once, by the consumer's two loops, while the provider takes its
 * time. The order is authorized once and its credit held once.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "payments"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(ProviderSimulatorResource.class)
class DatabaseOutageTest {

    private static final String GROUP = "payment-service";
    private static final String RETRY_TOPIC = "shopflow.payment-service.retry";

    private static ServiceMessages messages;

    @BeforeAll
    static void connect() {
        messages = new ServiceMessages("payments");
    }

    @AfterAll
    static void disconnect() {
        messages.close();
    }

    @Test
    void holdsTheCreditOnceWhenARetriedAuthorizationMeetsTheSagasResendAfterARestart() throws Exception {
        String customer = newCustomer();
        UUID order = UUID.randomUUID();
        AuthorizePayment first = authorize(order, customer, 100);
        AuthorizePayment resend = authorize(order, customer, 100);
        PostgresServer server = PostgresServer.shared();
        // Long enough for the two transactions to overlap, short of the provider call's 2 s timeout.
        ProviderSimulatorResource.behaviour("{\"latencyMillis\":1500}");
        try {
            long due;
            server.stop();
            try {
                messages.send(Topics.PAYMENT_COMMANDS, first);
                // Its in-place attempts fail while the database is away: it waits in the retry topic.
                ConsumerRecord<String, byte[]> retried = await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> messages.readAll(RETRY_TOPIC).stream()
                                .filter(r -> order.toString().equals(r.key())).findFirst().orElse(null),
                                r -> r != null);
                due = Long.parseLong(FailureHeaders.get(retried.headers(), MessageHeaders.RETRY_DUE_AT).orElseThrow());
            } finally {
                server.start();
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> asOps().get("/q/health/ready").statusCode() == 200);
            // The saga's resend, on its way when the retry is due: each holds its transaction open for the
            // provider's 1.5 s, so they overlap whether the resend comes up to 1 s before or after.
            Thread.sleep(Math.max(0, due - 300 - System.currentTimeMillis()));
            messages.send(Topics.PAYMENT_COMMANDS, resend);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> messages.processed(first.getMetadata().getMessageId(), GROUP)
                            && messages.processed(resend.getMetadata().getMessageId(), GROUP));
        } finally {
            ProviderSimulatorResource.behaviour("{\"latencyMillis\":0}");
        }

        List<PaymentAuthorized> answers = messages.awaitSent(order, PaymentAuthorized.class, 2);
        assertThat(answers).extracting(PaymentAuthorized::getAuthorizationId)
                .containsOnly(answers.get(0).getAuthorizationId());
        assertThat(rows("SELECT status || ' ' || amount_cents FROM payment WHERE order_id = '" + order + "'"))
                .containsExactly("AUTHORIZED 100");
        assertThat(rows("SELECT (credit_limit_cents - available_cents) || ' held, version ' || version "
                + "FROM credit_account WHERE customer_id = '" + customer + "'")).containsExactly("100 held, version 1");
        // The drills' invariant, for every customer: what an account holds is what its authorized payments sum to.
        assertThat(rows("SELECT a.customer_id || ' holds ' || (a.credit_limit_cents - a.available_cents) "
                + "|| ' for ' || COALESCE(SUM(p.amount_cents), 0) FROM credit_account a "
                + "LEFT JOIN payment p ON p.customer_id = a.customer_id AND p.status = 'AUTHORIZED' "
                + "GROUP BY a.customer_id HAVING a.credit_limit_cents - a.available_cents <> COALESCE(SUM(p.amount_cents), 0)"))
                .isEmpty();
    }

    private static List<String> rows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = PostgresServer.shared().connect("payments");
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
