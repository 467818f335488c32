package io.shopflow.load;

import io.gatling.javaapi.core.ScenarioBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Ramp past the breaking point, and hold there: the arrival rate grows linearly from
 * {@code fromRate} (10) to {@code toRate} (300) orders/s over {@code durationSeconds} (300), well
 * past the knee. Past it admission control answers part of {@code POST /orders} with 503: counted
 * as refused, not as failures. The run asserts that the system does not collapse
 * ({@link Plateau}): completed orders/s in every 10 s window of the last {@code plateauTailSeconds}
 * (60) stay at {@code plateauPercent} (90) % of their peak or more, and the accepted orders' p99
 * placed -> final stays within {@code e2eP99Millis} (here 2500: admission control's 2 s age bound
 * plus polling). Accepted orders are polled every {@code pollMs} (here 500, so that the polls of
 * orders in flight do not take the CPU the sagas need). The verdict is one group,
 * {@value #PLATEAU}, after the last order: failed when the plateau did not hold.
 */
public class RampToBreakingPointSimulation extends ShopSimulation {

    static final String PLATEAU = "completed orders/s held their plateau";

    private final Duration poll = Duration.ofMillis(Long.getLong("pollMs", 500));
    private final double from = Double.parseDouble(System.getProperty("fromRate", "10"));
    private final double to = Double.parseDouble(System.getProperty("toRate", "300"));
    private final long seconds = Long.getLong("durationSeconds", 300);
    private final int tailSeconds = Integer.getInteger("plateauTailSeconds", 60);
    private final double percent = Double.parseDouble(System.getProperty("plateauPercent", "90"));
    private final long e2eP99Millis = Long.getLong("e2eP99Millis", 2500);

    {
        Plateau plateau = new Plateau(seconds, tailSeconds, 10, percent / 100, e2eP99Millis);
        // Starts when the ramp ends, then waits for every order to be final or given up before it judges.
        ScenarioBuilder verdict = scenario("plateau").exec(
                asLongAs(session -> plateau.inFlight() > 0).on(pause(Duration.ofSeconds(1))),
                group(PLATEAU).on(exec(session -> {
                    Plateau.Verdict v = plateau.verdict();
                    System.out.println("Plateau: " + v.describe());
                    return v.holds() ? session : session.markAsFailed();
                })));
        setUp(Shop.placeOrBeRefused("ramp", poll, plateau)
                        .injectOpen(rampUsersPerSec(from).to(to).during(Duration.ofSeconds(seconds))),
                verdict.injectOpen(nothingFor(Duration.ofSeconds(seconds)), atOnceUsers(1)))
                .protocols(Shop.protocol())
                .assertions(
                        global().failedRequests().percent().lte(
                                Double.parseDouble(System.getProperty("maxErrorPercent", "1"))),
                        details(Shop.POST_ORDER).responseTime().percentile(99.0)
                                .lte(Integer.getInteger("postP99Millis", 500)),
                        details(PLATEAU).failedRequests().count().is(0L));
    }

    @Override
    List<String> settings() {
        List<String> settings = new ArrayList<>(Shop.describe(poll));
        settings.addAll(List.of("fromRate=" + from, "toRate=" + to, "durationSeconds=" + seconds,
                "plateauPercent=" + percent, "plateauTailSeconds=" + tailSeconds, "e2eP99Millis=" + e2eP99Millis));
        return settings;
    }
}
