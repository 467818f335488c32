package io.shopflow.web;

import io.shopflow.messaging.ConsumerSettings;
import io.shopflow.messaging.DeadLetter;
import io.shopflow.messaging.DeadLetters;
import io.shopflow.messaging.cdi.ConsumerBindings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.smallrye.common.annotation.Blocking;

import java.util.ArrayList;
import java.util.List;

/**
 * Operators' view of the service's dead letters: every consumer group of the service, listed
 * and replayed onto the original topic ({@code ops} group only).
 */
@Path("/ops/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.OPS)
@Blocking
public class DeadLetterResource {

    private final ConsumerBindings consumers;
    private final String bootstrapServers;

    DeadLetterResource(ConsumerBindings consumers,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.consumers = consumers;
        this.bootstrapServers = bootstrapServers;
    }

    /** A dead letter and the topic it sits in. */
    public record Entry(String deadLetterTopic, DeadLetter letter) {
    }

    @GET
    public List<Entry> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        List<Entry> entries = new ArrayList<>();
        for (ConsumerSettings consumer : consumers.settings()) {
            String topic = consumer.deadLetterTopic();
            new DeadLetters(bootstrapServers, topic).list(Math.max(1, Math.min(limit, 1000)))
                    .forEach(letter -> entries.add(new Entry(topic, letter)));
        }
        return entries;
    }

    @POST
    @Path("/{topic}/{partition}/{offset}/replay")
    public Response replay(@PathParam("topic") String topic, @PathParam("partition") int partition,
                           @PathParam("offset") long offset) {
        boolean ours = consumers.settings().stream().anyMatch(c -> c.deadLetterTopic().equals(topic));
        if (!ours) {
            return Problems.notFound("Not a dead-letter topic of this service: " + topic);
        }
        return new DeadLetters(bootstrapServers, topic).replay(partition, offset)
                .map(letter -> Response.accepted(new Entry(topic, letter)).build())
                .orElseGet(() -> Problems.notFound("No dead letter at " + topic + "/" + partition + "/" + offset));
    }
}
