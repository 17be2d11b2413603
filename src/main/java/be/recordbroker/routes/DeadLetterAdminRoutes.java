package be.recordbroker.routes;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.springframework.stereotype.Component;

import be.recordbroker.ingest.DeadLetters;

/**
 * Ops' view of the ingest dead letters: {@code GET /api/v1/admin/dead-letters} lists them (metadata only, never
 * content), {@code POST /api/v1/admin/dead-letters/{id}/replay} and {@code POST /api/v1/admin/dead-letters/replay}
 * put one or all back on the ingest queue.
 */
@Component
public class DeadLetterAdminRoutes extends RouteBuilder {

    private final DeadLetters deadLetters;
    private final ObjectMapper json = new ObjectMapper();

    public DeadLetterAdminRoutes(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void configure() {
        restConfiguration().bindingMode(RestBindingMode.off);

        rest("/api/v1/admin/dead-letters")
                .get().id("dead-letters-list").produces("application/json").to("direct:dead-letters-list")
                .post("/replay").id("dead-letters-replay-all").produces("application/json")
                    .to("direct:dead-letters-replay-all")
                .post("/{id}/replay").id("dead-letters-replay-one").produces("application/json")
                    .to("direct:dead-letters-replay-one");

        from("direct:dead-letters-list").routeId("dead-letters-list")
                .process(e -> reply(e, 200, Map.of("deadLetters", deadLetters.list())));

        from("direct:dead-letters-replay-all").routeId("dead-letters-replay-all")
                .process(e -> reply(e, 200, Map.of("replayed", deadLetters.replayAll())));

        from("direct:dead-letters-replay-one").routeId("dead-letters-replay-one")
                .process(e -> {
                    if (deadLetters.replay(e.getMessage().getHeader("id", String.class))) {
                        reply(e, 200, Map.of("replayed", 1));
                    } else {
                        reply(e, 404, Map.of("type", "urn:record-broker:problem:unknown-dead-letter",
                                "title", "Not Found", "status", 404, "reason", "UNKNOWN_DEAD_LETTER",
                                "detail", "no dead letter with that id"));
                    }
                });
    }

    private void reply(Exchange exchange, int status, Map<String, ?> body) throws Exception {
        var message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, status >= 400 ? "application/problem+json" : "application/json");
        message.setBody(json.writeValueAsString(body));
    }
}
