package be.recordbroker.routes;

import static be.recordbroker.ingest.Hl7TestMessages.adt;
import static be.recordbroker.ingest.Hl7TestMessages.controlId;
import static be.recordbroker.ingest.Hl7TestMessages.newSsin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import jakarta.jms.JMSException;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import be.recordbroker.domain.Hub;
import be.recordbroker.domain.HubDirectory;
import be.recordbroker.hl7.IngestRules;
import be.recordbroker.ingest.DocumentOwnership;
import be.recordbroker.ingest.Hl7Listener;
import be.recordbroker.ingest.PatientGroups;
import be.recordbroker.ingest.IngestProperties;
import be.recordbroker.ingest.IngestQueueSender;
import be.recordbroker.ingest.MllpTrust;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.HubEndpoint;
import be.recordbroker.network.Network;

/**
 * The MLLP listener route's own logic, without a socket or a queue: the route as IngestRoutes builds it, its MLLP
 * consumer replaced by a direct endpoint (AdviceWith), the real {@link Hl7Listener} steps, and the durable enqueue a
 * mock. Nothing is acknowledged AA that the queue did not take; any exception before that answers AE so the hospital
 * sends again; a frame that is not HL7 is answered AR and never queued. The ACKs are read back with HAPI.
 */
class IngestRoutesTest extends CamelTestSupport {

    private static final String FRAME_IN = "direct:mllp-frame";
    private static final String HOSPITAL = "SANDBOX-BRU";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final IngestQueueSender queue = mock(IngestQueueSender.class);
    private final DocumentOwnership ownership = mock(DocumentOwnership.class);

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withUseAdviceWith(true); // started below, once the MLLP consumer is replaced
    }

    @Override
    public void configureContext(CamelContextConfiguration camel) {
        super.configureContext(camel);
        Properties placeholders = new Properties();
        placeholders.setProperty("record-broker.mllp.port", "0"); // never bound: the consumer is advised away
        camel.withUseOverridePropertiesWithPropertiesComponent(placeholders);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        Network network = network();
        IngestProperties properties = new IngestProperties();
        Hl7Listener listener = new Hl7Listener(new IngestRules(IngestRules.Config.defaults()), network, meters,
                Clock.systemUTC(), properties, new MllpTrust(true, network, meters), ownership,
                new PatientGroups(PatientGroups.DEVELOPMENT_KEY));
        return new IngestRoutes(listener, queue, properties);
    }

    @BeforeEach
    void replaceTheMllpConsumer() throws Exception {
        AdviceWith.adviceWith(context, IngestRoutes.LISTENER_ROUTE, route -> route.replaceFromWith(FRAME_IN));
        context.start();
    }

    @Test
    void aFrameIsAcknowledgedAaOnceTheQueueHasIt() throws Exception {
        String control = controlId("ROUTE-AA");

        Exchange answered = send(adt(HOSPITAL, "A28", control, newSsin()));

        ArgumentCaptor<IngestQueueSender.Outgoing> queued = ArgumentCaptor.forClass(IngestQueueSender.Outgoing.class);
        verify(queue).send(queued.capture());
        assertThat(queued.getValue().controlId()).isEqualTo(control);
        assertThat(queued.getValue().hub()).isEqualTo("rsb");
        Terser ack = ack(answered);
        assertThat(ack.get("/MSA-1")).isEqualTo("AA");
        assertThat(ack.get("/MSA-2")).isEqualTo(control);
        assertThat(answers("AA")).isEqualTo(1.0);
    }

    @Test
    void aFrameTheQueueCouldNotStoreIsAnsweredAeSoTheHospitalSendsItAgain() throws Exception {
        doThrow(new JMSException("the journal did not confirm")).when(queue).send(any());
        String control = controlId("ROUTE-AE");

        Exchange answered = send(adt(HOSPITAL, "A28", control, newSsin()));

        assertThat(answered.getException()).as("handled: the hospital gets an answer, not a closed socket").isNull();
        Terser ack = ack(answered);
        assertThat(ack.get("/MSA-1")).isEqualTo("AE");
        assertThat(ack.get("/MSA-2")).isEqualTo(control);
        assertThat(answers("AE")).isEqualTo(1.0);
        assertThat(answers("AA")).isZero();
    }

    @Test
    void anExceptionBeforeTheEnqueueIsAnsweredAeAndNothingIsQueued() throws Exception {
        // the ownership check reads the ledger: a database that is down throws there
        when(ownership.check(any(), any())).thenThrow(new IllegalStateException("ledger unavailable"));
        String control = controlId("ROUTE-DB");

        Exchange answered = send(adt(HOSPITAL, "A28", control, newSsin()));

        assertThat(ack(answered).get("/MSA-1")).isEqualTo("AE");
        verifyNoInteractions(queue);
    }

    @Test
    void aFrameThatIsNotHl7IsAnsweredArAndNeverQueued() throws Exception {
        Exchange answered = send("GET / HTTP/1.1");

        assertThat(ack(answered).get("/MSA-1")).isEqualTo("AR");
        verifyNoInteractions(queue);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Exchange send(String hl7) {
        return template.send(FRAME_IN, exchange -> exchange.getMessage()
                .setBody(hl7.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** The ACK the route left for camel-mllp to write back, parsed by HAPI (fails when HAPI cannot read it). */
    private static Terser ack(Exchange exchange) throws Exception {
        byte[] ack = exchange.getProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, byte[].class);
        assertThat(ack).as("an ACK for camel-mllp to send").isNotNull().isNotEmpty();
        try (HapiContext hapi = new DefaultHapiContext()) {
            hapi.setModelClassFactory(new CanonicalModelClassFactory("2.5"));
            hapi.setValidationContext(ValidationContextFactory.noValidation());
            return new Terser(hapi.getPipeParser().parse(new String(ack, StandardCharsets.ISO_8859_1)));
        }
    }

    private double answers(String ack) {
        var counter = meters.find("rb.hl7.messages").tag("hospital", HOSPITAL).tag("ack", ack).counter();
        return counter == null ? 0.0 : counter.count();
    }

    /** One hub (rsb) and one hospital declaring there, plaintext MLLP (no certificate to check). */
    private static Network network() {
        HttpEndpoint nowhere = new HttpEndpoint("http://127.0.0.1:9/", Duration.ofSeconds(1), Duration.ofSeconds(1));
        Hub rsb = new Hub("rsb", "1990000728", "RSBID", "Brussels Health Network (RSB/Abrumet)");
        return new Network(HubDirectory.of(List.of(rsb)), List.of(new HubEndpoint(rsb, nowhere)), nowhere,
                List.of(new Hospital("Sandbox Brussels", HOSPITAL, null, "rsb", null)));
    }
}
