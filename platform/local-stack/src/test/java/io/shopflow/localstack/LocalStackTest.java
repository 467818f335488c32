package io.shopflow.localstack;

import io.shopflow.localstack.launcher.Component;
import io.shopflow.localstack.launcher.Launcher;
import io.shopflow.localstack.launcher.StackLayout;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's command line: help, usage errors and {@code token}, as {@code local-stack.sh} runs them; what it starts the services with. */
class LocalStackTest {

    @Test
    void helpPrintsTheUsageOfTheLauncherOrOfACommandAndExitsZero() {
        LauncherFixture.Result launcher = LauncherFixture.execute("--help");
        LauncherFixture.Result soak = LauncherFixture.execute("soak", "--help");
        LauncherFixture.Result helpCommand = LauncherFixture.execute("help", "capacity");

        assertThat(launcher.exitCode()).isZero();
        assertThat(launcher.out()).startsWith("Usage: local-stack.sh [-h] <command>").contains("  up ", "  down ",
                "  status ", "  restart ", "  demo ", "  drill ", "  capacity ", "  footprint ", "  soak ", "  profile ",
                "  token ",
                "  help ");
        assertThat(LauncherFixture.execute().out()).isEqualTo(launcher.out());
        assertThat(soak.exitCode()).isZero();
        assertThat(soak.out()).startsWith("Usage: local-stack.sh soak");
        assertThat(soak.out().replaceAll("\\s+", " ")).contains("--minutes=<minutes> The run after the warm-up",
                "Default: 30.", "--window=<seconds> A row a window");
        assertThat(helpCommand.exitCode()).isZero();
        assertThat(helpCommand.out()).startsWith("Usage: local-stack.sh capacity").contains("--overload=<factor>");
        assertThat(launcher.err() + soak.err() + helpCommand.err()).isEmpty();
    }

    @Test
    void aMissingValueIsAUsageErrorWithItsMessage() {
        assertThat(LauncherFixture.usageError("soak", "--rate"))
                .startsWith("Missing required parameter for option '--rate' (<orders/s>)\nUsage: local-stack.sh soak");
        assertThat(LauncherFixture.usageError("restart")).startsWith("Missing required parameter: '<process>'");
        assertThat(LauncherFixture.usageError("footprint", "--orders", "0"))
                .startsWith("--orders, --rate and --idle must each be more than 0\nUsage: local-stack.sh footprint");
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageErrorWithANearMiss() {
        assertThat(LauncherFixture.usageError("stauts")).contains("'stauts'", "status",
                "Usage: local-stack.sh [-h] <command>");
        assertThat(LauncherFixture.usageError("restart", "inventory-service", "--kil"))
                .startsWith("Unknown option: '--kil'").contains("--kill", "Usage: local-stack.sh restart");
        assertThat(LauncherFixture.usageError("help", "stauts")).startsWith("Unknown command: 'stauts'");
    }

    @Test
    void aDrillNeedsANameTheLauncherKnows() {
        assertThat(LauncherFixture.usageError("drill", "--rate", "10"))
                .startsWith("Name a drill or --all; drills: kafka-down, kill-order-service,")
                .contains("Usage: local-stack.sh drill");
        assertThat(LauncherFixture.usageError("drill", "kafka-dwn"))
                .startsWith("Unknown drill: [kafka-dwn]; drills: kafka-down");
    }

    @Test
    void everyServiceRunsAsADevelopmentSetupAndNothingElseDoes() {
        // The services run their prod profile from the jar: without the flag they refuse the development key.
        List<Component> components = new Launcher(StackLayout.fromEnvironment(StackCommand.REPOSITORY)).components();

        assertThat(components).filteredOn(c -> c.command().contains("-Dshopflow.development=true"))
                .extracting(Component::name).contains("order-service", "inventory-service", "payment-service",
                        "notification-service", "saga-orchestrator")
                .doesNotContain("outbox-relay", "provider-simulator");
    }

    @Test
    void tokenPrintsOneSignedTokenAndRefusesAnOddSubject() {
        LauncherFixture.Result ops = LauncherFixture.execute("token", "ops-1", "--ops");

        assertThat(ops.exitCode()).isZero();
        assertThat(ops.out()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+\n");
        String claims = new String(Base64.getUrlDecoder().decode(ops.out().split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"sub\":\"ops-1\"", "\"groups\":[\"ops\"]", "\"aud\":\"shopflow\"");
        assertThat(LauncherFixture.usageError("token", "alice bob"))
                .startsWith("subject must be 1-64 of [A-Za-z0-9._@-]: alice bob\nUsage: local-stack.sh token");
    }
}
