package be.recordbroker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ca.uhn.hl7v2.HL7Exception;
import io.micrometer.observation.ObservationRegistry;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import be.recordbroker.domain.Hub;
import be.recordbroker.domain.HubDirectory;
import be.recordbroker.ingest.Hl7Applier;
import be.recordbroker.ingest.HubBackoff;
import be.recordbroker.ingest.IngestProperties;
import be.recordbroker.ingest.IngestQueues;
import be.recordbroker.kmehr.HubCallException;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.HubEndpoint;
import be.recordbroker.network.Network;

/**
 * A hub's declaration route decides each message's fate; here that decision alone is the subject: the routes as
 * DeclareRoutes builds them, the JMS consumer of hub cozo's queue replaced by a direct endpoint and the dead-letter
 * queue by a mock endpoint (AdviceWith), the applier and the hub's backoff mocks. A message HAPI cannot read and a
 * hub's permanent refusal go to the dead-letter queue at once; a transient failure is not retried in place but fails
 * the exchange (the JMS transaction rolls back: the message is redelivered from the head of the queue) and pauses the
 * hub; a transient failure of a message older than the max age goes to the dead-letter queue.
 */
class DeclareRoutesTest extends CamelTestSupport {

    private static final String HUB = "cozo";
    private static final String QUEUE_IN = "direct:declare-" + HUB;

    private final Hl7Applier applier = mock(Hl7Applier.class);
    private final HubBackoff backoff = mock(HubBackoff.class);

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withUseAdviceWith(true); // started below, once the JMS endpoints are replaced
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        HttpEndpoint nowhere = new HttpEndpoint("http://127.0.0.1:9/", Duration.ofSeconds(1), Duration.ofSeconds(1));
        Hub cozo = new Hub(HUB, "1990000134", "COZOID", "Collaboratief Zorgplatform (CoZo)");
        Network network = new Network(HubDirectory.of(List.of(cozo)), List.of(new HubEndpoint(cozo, nowhere)), nowhere,
                List.of());
        var observations = new StaticListableBeanFactory(Map.of("observations", ObservationRegistry.NOOP))
                .getBeanProvider(ObservationRegistry.class);
        return new DeclareRoutes(applier, new IngestProperties(), network, backoff, observations);
    }

    @BeforeEach
    void replaceTheQueues() throws Exception {
        AdviceWith.adviceWith(context, DeclareRoutes.DECLARE_ROUTE_PREFIX + HUB, route -> route.replaceFromWith(QUEUE_IN));
        AdviceWith.adviceWith(context, DeclareRoutes.LEGACY_ROUTE, route -> route.replaceFromWith("direct:legacy"));
        AdviceWith.adviceWith(context, DeclareRoutes.DEAD_LETTER_ROUTE,
                route -> route.weaveByToUri("jms:queue:" + IngestQueues.DEAD_LETTER + "*").replace()
                        .to("mock:dead-letter-queue"));
        context.start();
    }

    @Test
    void aMessageHapiCannotReadGoesToTheDeadLetterQueueAtOnce() throws Exception {
        doThrow(new HL7Exception("unreadable")).when(applier).apply(any());
        deadLetterQueue().expectedMessageCount(1);

        Exchange declared = deliver();

        deadLetterQueue().assertIsSatisfied();
        assertThat(declared.isFailed()).as("handled: the JMS transaction commits, the message leaves the queue")
                .isFalse();
        verify(applier, times(1)).apply(any());
        verify(applier).deadLettered(any());
        verify(backoff, never()).failed(any(), any());
    }

    @Test
    void aHubsPermanentRefusalGoesToTheDeadLetterQueueAtOnce() throws Exception {
        doThrow(new HubCallException(HUB, true, "the hub refused the transaction", null)).when(applier).apply(any());
        deadLetterQueue().expectedMessageCount(1);

        Exchange declared = deliver();

        deadLetterQueue().assertIsSatisfied();
        assertThat(declared.isFailed()).isFalse();
        verify(applier, times(1)).apply(any());
        verify(applier, never()).redelivering(any());
        verify(backoff, never()).failed(any(), any());
    }

    /**
     * A value the ledger cannot hold (SQL state 22001, as PostgreSQL and H2 say "value too long") or the declaration
     * refuses will not fit better on redelivery: to the dead-letter queue, no hub pause. A constraint violation
     * (another instance's row) or any other IllegalArgumentException (a hub gone from the network file) is not that:
     * rolled back and tried again.
     */
    @Test
    void aValueTheLedgerCannotHoldGoesToTheDeadLetterQueueAtOnce() throws Exception {
        doThrow(new org.springframework.dao.DataIntegrityViolationException("too long",
                new java.sql.SQLException("value too long for column", "22001")))
                .doThrow(new be.recordbroker.domain.DocumentDeclaration.InvalidDeclarationException(
                        "a document number must have 1 to 199 characters"))
                .doThrow(new org.springframework.dao.DataIntegrityViolationException("duplicate",
                        new java.sql.SQLException("duplicate key", "23505")))
                .doThrow(new IllegalArgumentException("unknown hub code: cozo-old"))
                .when(applier).apply(any());
        when(backoff.tooOld(any())).thenReturn(false);
        deadLetterQueue().expectedMessageCount(2);

        Exchange tooLong = deliver();
        Exchange refused = deliver();
        Exchange race = deliver();
        Exchange configuration = deliver();

        deadLetterQueue().assertIsSatisfied();
        assertThat(tooLong.isFailed()).isFalse();
        assertThat(refused.isFailed()).isFalse();
        assertThat(race.isFailed()).as("a constraint violation is rolled back").isTrue();
        assertThat(configuration.isFailed()).as("a hub gone from the network file: ops may put it back").isTrue();
        verify(backoff, times(2)).failed(eq(HUB), any());
    }

    @Test
    void aTransientFailureIsNotRetriedInPlaceButRolledBackAndPausesTheHub() throws Exception {
        HubCallException down = new HubCallException(HUB, false, "connection refused", null);
        doThrow(down).when(applier).apply(any());
        when(backoff.tooOld(any())).thenReturn(false);
        deadLetterQueue().expectedMessageCount(0);

        Exchange declared = deliver();

        assertThat(declared.isFailed()).as("not handled: the JMS transaction rolls back").isTrue();
        assertThat(declared.getException()).isSameAs(down);
        verify(applier, times(1)).apply(any()); // no redelivery in the route: the queue redelivers, in order
        verify(applier).redelivering(any());
        verify(backoff).failed(eq(HUB), same(down));
        verify(backoff, never()).succeeded(any());
        deadLetterQueue().assertIsSatisfied();
    }

    @Test
    void aTransientFailureOfAMessageOlderThanTheMaxAgeGoesToTheDeadLetterQueue() throws Exception {
        doThrow(new HubCallException(HUB, false, "connection refused", null)).when(applier).apply(any());
        when(backoff.tooOld("1000")).thenReturn(true); // the route asks with the message's enqueue time
        deadLetterQueue().expectedMessageCount(1);

        Exchange declared = deliver();

        deadLetterQueue().assertIsSatisfied();
        assertThat(declared.isFailed()).isFalse();
        verify(applier, never()).redelivering(any());
        verify(backoff, never()).failed(any(), any());
    }

    @Test
    void aDeclaredMessageTellsTheBackoffTheHubAnswersAgain() throws Exception {
        deadLetterQueue().expectedMessageCount(0);

        Exchange declared = deliver();

        assertThat(declared.isFailed()).isFalse();
        verify(applier).apply(any());
        verify(backoff).succeeded(HUB);
        deadLetterQueue().assertIsSatisfied();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** One message of hub cozo's queue, queued at epoch millisecond 1000. */
    private Exchange deliver() {
        return template.send(QUEUE_IN, exchange -> {
            exchange.getMessage().setBody("MSH|^~\\&|...");
            exchange.getMessage().setHeader(IngestQueues.HUB, HUB);
            exchange.getMessage().setHeader(IngestQueues.ENQUEUED_AT, "1000");
        });
    }

    private MockEndpoint deadLetterQueue() {
        return getMockEndpoint("mock:dead-letter-queue");
    }
}
