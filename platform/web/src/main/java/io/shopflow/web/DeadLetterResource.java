package io.shopflow.web;

import io.shopflow.messaging.ConsumerSettings;
import io.shopflow.messaging.DeadLetter;
import io.shopflow.messaging.DeadLetters;
import io.shopflow.messaging.cdi.ConsumerBindings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import io.smallrye.common.annotation.Blocking;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Operators' view of the service's dead letters: every consumer group of the service, listed
 * and replayed through the group's retry topic when the group consumes the original topic ({@code ops}
 * group only).
 */
@Path("/ops/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.OPS)
@Blocking
public class DeadLetterResource {

    private static final Logger LOG = Logger.getLogger(DeadLetterResource.class);

    private final ConsumerBindings consumers;
    private final MeterRegistry registry;

    DeadLetterResource(ConsumerBindings consumers, MeterRegistry registry) {
        this.consumers = consumers;
        this.registry = registry;
    }

    /** A dead letter and the topic it sits in. */
    public record Entry(String deadLetterTopic, DeadLetter letter) {
    }

    @GET
    public List<Entry> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        List<Entry> entries = new ArrayList<>();
        for (ConsumerSettings consumer : consumers.settings()) {
            String topic = consumer.deadLetterTopic();
            new DeadLetters(consumer.kafka(), topic).list(Math.max(1, Math.min(limit, 1000)))
                    .forEach(letter -> entries.add(new Entry(topic, letter)));
        }
        return entries;
    }

    /**
     * Replays one dead letter (one per call) through the group's retry topic, if its original topic is one the
     * group consumes; the replayed record carries {@code shopflow-replayed-from}. Logged with the operator and counted
     * ({@code shopflow_dead_letter_replays_total{group, outcome}}).
     */
    @POST
    @Path("/{topic}/{partition}/{offset}/replay")
    public Response replay(@PathParam("topic") String topic, @PathParam("partition") int partition,
                           @PathParam("offset") long offset, @Context SecurityContext caller) {
        Optional<ConsumerSettings> consumer = consumers.settings().stream()
                .filter(c -> c.deadLetterTopic().equals(topic)).findFirst();
        if (consumer.isEmpty()) {
            return Problems.notFound("Not a dead-letter topic of this service: " + topic);
        }
        if (partition < 0 || offset < 0) {
            return Problems.badRequest("A partition and an offset are whole numbers from 0: " + partition + "/" + offset);
        }
        String group = consumer.get().groupId();
        String operator = caller.getUserPrincipal() == null ? "?" : caller.getUserPrincipal().getName();
        DeadLetters.Replay replay = new DeadLetters(consumer.get().kafka(), topic).replay(partition, offset,
                consumer.get().topics(), consumer.get().retryTopic());
        Counter.builder("shopflow.dead.letter.replays").tag("group", group)
                .tag("outcome", switch (replay) {
                    case DeadLetters.Replay.Replayed r -> "replayed";
                    case DeadLetters.Replay.Refused r -> "refused";
                    case DeadLetters.Replay.NotFound r -> "not_found";
                })
                .description("Dead-letter replays asked for, by outcome").register(registry).increment();
        return switch (replay) {
            case DeadLetters.Replay.Replayed replayed -> {
                LOG.infof("%s replayed the dead letter %s/%d/%d (key %s) through %s", operator, topic, partition, offset,
                        replayed.letter().key(), replayed.topic());
                yield Response.accepted(new Entry(topic, replayed.letter())).build();
            }
            case DeadLetters.Replay.Refused refused -> {
                LOG.warnf("%s asked to replay the dead letter %s/%d/%d, refused: %s", operator, topic, partition,
                        offset, refused.reason());
                yield Problems.conflict(refused.reason());
            }
            case DeadLetters.Replay.NotFound notFound ->
                    Problems.notFound("No dead letter at " + topic + "/" + partition + "/" + offset);
        };
    }
}
