package be.recordbroker.kmehr;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplySenderContext;

import org.apache.cxf.Bus;
import org.apache.cxf.feature.AbstractFeature;
import org.apache.cxf.helpers.CastUtils;
import org.apache.cxf.interceptor.InterceptorProvider;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.service.model.BindingOperationInfo;

/**
 * One observation (a client span, with the W3C {@code traceparent} sent along in the HTTP headers) per SOAP call to a
 * hub, the metahub or a document source, child of whatever is current on the calling thread. Tags: {@code peer}
 * ({@code hub:<code>}, {@code metahub}, {@code source:<facility>}: the network file bounds them) and the operation.
 *
 * <p>Hand-written because CXF's own Micrometer module (cxf-integration-tracing-micrometer) is not published for the
 * CXF version the broker uses (4.1.x) in the registry here; this is the same two interceptors, on the
 * Micrometer Observation API, so the tracing handlers and the propagator stay Spring Boot's.
 */
public final class ClientCallObservations extends AbstractFeature {

    /** The observation (span and timer) of every call to a hub, the metahub or a document source. */
    public static final String NAME = "rb.client.call";
    private static final String KEY = ClientCallObservations.class.getName();

    private final ObservationRegistry registry;
    private final String peer;

    public ClientCallObservations(ObservationRegistry registry, String peer) {
        this.registry = registry;
        this.peer = peer;
    }

    @Override
    protected void initializeProvider(InterceptorProvider provider, Bus bus) {
        provider.getOutInterceptors().add(new Start());
        Stop stop = new Stop();
        provider.getInInterceptors().add(stop);
        provider.getInFaultInterceptors().add(stop);
    }

    /** Starts the observation before anything is written, so the propagator's headers go out with the request. */
    private final class Start extends AbstractPhaseInterceptor<Message> {
        Start() {
            super(Phase.SETUP);
        }

        @Override
        public void handleMessage(Message message) {
            RequestReplySenderContext<Message, Message> context =
                    new RequestReplySenderContext<>(ClientCallObservations::putHeader);
            context.setCarrier(message);
            context.setRemoteServiceName(peer);
            BindingOperationInfo operation = message.getExchange().getBindingOperationInfo();
            String name = operation == null ? "call" : operation.getName().getLocalPart();
            Observation observation = Observation.createNotStarted(NAME, () -> context, registry)
                    .contextualName(peer + " " + name)
                    .lowCardinalityKeyValue(KeyValue.of("peer", peer))
                    .lowCardinalityKeyValue(KeyValue.of("operation", name))
                    .start();
            message.getExchange().put(KEY, observation);
        }

        /** The request could not be sent or its answer not read (connection refused, receive timeout). */
        @Override
        public void handleFault(Message message) {
            Observation observation = (Observation) message.getExchange().remove(KEY);
            if (observation != null) {
                Exception failure = message.getContent(Exception.class);
                observation.error(failure != null ? failure : new IllegalStateException("call failed"));
                observation.stop();
            }
        }
    }

    /** Stops it when the answer (or a SOAP fault) arrives. */
    private static final class Stop extends AbstractPhaseInterceptor<Message> {
        Stop() {
            super(Phase.RECEIVE);
        }

        @Override
        public void handleMessage(Message message) {
            Observation observation = (Observation) message.getExchange().remove(KEY);
            if (observation != null) {
                Exception fault = message.getContent(Exception.class);
                if (fault != null) {
                    observation.error(fault);
                }
                observation.stop();
            }
        }
    }

    private static void putHeader(Message message, String key, String value) {
        Map<String, List<String>> headers = CastUtils.cast((Map<?, ?>) message.get(Message.PROTOCOL_HEADERS));
        if (headers == null) {
            headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            message.put(Message.PROTOCOL_HEADERS, headers);
        }
        headers.put(key, List.of(value));
    }
}
