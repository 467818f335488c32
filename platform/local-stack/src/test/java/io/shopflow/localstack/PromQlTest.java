package io.shopflow.localstack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlTest {

    @Test
    void findsTheMetricsOfAnExpressionButNotItsFunctionsLabelsOrVariables() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le, outcome) "
                + "(rate(shopflow_saga_duration_seconds_bucket{outcome=~\"APPROVED|REJECTED\"}[$__rate_interval])))"))
                .containsExactly("shopflow_saga_duration_seconds_bucket");
        assertThat(PromQl.metricNames("sum(rate(http_server_requests_seconds_count{job=\"$job\",status=~\"5..\"}[5m]))"
                + " / ignoring(status) sum(rate(http_server_requests_seconds_count{job=\"$job\"}[5m])) > 0.05"))
                .containsExactly("http_server_requests_seconds_count");
        assertThat(PromQl.metricNames("up{job=\"outbox-relay\"} == 0 or absent(up{job=\"outbox-relay\"})"))
                .containsExactly("up");
        assertThat(PromQl.metricNames("max without (instance) (shopflow_relay_lag_seconds) > 30 and on() "
                + "vector(1) offset 5m")).containsExactly("shopflow_relay_lag_seconds");
    }
}
