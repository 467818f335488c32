package io.shopflow.localstack.operations;

import io.shopflow.localstack.StackCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short variant of the runbook's failure drills, as a user runs them
 * ({@code local-stack.sh drill ...}): a service killed mid-saga, a poison message and the broker
 * down, each under background load, each followed by the invariant check of every database.
 * {@code local-stack.sh drill --all} runs every drill with longer faults.
 */
class DrillsIT {

    private static final StackCommand STACK = new StackCommand(Map.of(
            "SHOPFLOW_LOCAL_HOME", Path.of("target/it-drills").toAbsolutePath().toString(),
            "SHOPFLOW_LOCAL_PG_PORT", "22432",
            "SHOPFLOW_LOCAL_KAFKA_PORT", "22092",
            "SHOPFLOW_LOCAL_KAFKA_CONTROLLER_PORT", "22093",
            "SHOPFLOW_LOCAL_ORDER_PORT", "22180",
            "SHOPFLOW_LOCAL_RELAY_PORT", "22189",
            "SHOPFLOW_LOCAL_PROMETHEUS", "off"));

    @BeforeAll
    static void up() throws Exception {
        StackCommand.Result up = STACK.run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
    }

    @AfterAll
    static void down() throws Exception {
        STACK.run("down");
    }

    @Test
    void killedServicePoisonMessageAndBrokerOutageLoseNothing() throws Exception {
        StackCommand.Result drills = STACK.run("drill", "kill-inventory-service", "poison-message", "kafka-down",
                "--rate", "10", "--hold", "10");

        assertThat(drills.output()).containsPattern("kill-inventory-service\\s+\\d+.*PASS")
                .containsPattern("poison-message\\s+\\d+.*PASS")
                .containsPattern("kafka-down\\s+\\d+.*PASS")
                .doesNotContain("FAIL");
        assertThat(drills.exitCode()).as(drills.output()).isZero();
    }
}
