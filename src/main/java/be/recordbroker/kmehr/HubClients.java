package be.recordbroker.kmehr;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.recordbroker.metahub.v1.MetaHubPortType;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.HubEndpoint;
import be.recordbroker.network.LocalServerAddress;
import be.recordbroker.network.Network;

import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.apache.cxf.attachment.AttachmentDeserializer;
import org.apache.cxf.message.Message;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.jaxws.JaxWsProxyFactoryBean;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.HTTPConduitFactory;
import org.apache.cxf.transport.http.URLConnectionHTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;

/**
 * The hub client: typed IntraHub v3 (and metahub) SOAP ports for every hub of the network file, made with CXF from
 * the project's WSDL-generated interfaces, each with the hub's connect and receive timeouts. Ports are made on first
 * use (a path-only URL needs the local server's port) and reused: CXF proxies are safe to share between threads as
 * long as nobody changes their request context per call.
 */
public class HubClients {

    /** Largest MTOM attachment accepted in an answer (a document a hub or source returns), held in memory. */
    static final long MAX_ATTACHMENT_BYTES = 64L * 1024 * 1024;

    /** Conduits over {@code HttpURLConnection} (keep-alive pool: {@code http.maxConnections} per host, JDK default 5). */
    private static final HTTPConduitFactory URL_CONNECTION =
            (transport, bus, endpoint, target) -> new URLConnectionHTTPConduit(bus, endpoint, target);

    private final Network network;
    private final LocalServerAddress addresses;
    private final SchemaValidationType validation;
    private final Map<String, Object> ports = new ConcurrentHashMap<>();
    /** Where each call's observation (span, traceparent) goes; NOOP: none. */
    private final io.micrometer.observation.ObservationRegistry observations;

    public HubClients(Network network, LocalServerAddress addresses) {
        this(network, addresses, SchemaValidationType.NONE);
    }

    /**
     * @param validation which directions CXF validates against the project's schemas
     *                   ({@code record-broker.soap.schema-validation.clients}: OUT in prod, BOTH in the sandbox)
     */
    public HubClients(Network network, LocalServerAddress addresses, SchemaValidationType validation) {
        this(network, addresses, validation, io.micrometer.observation.ObservationRegistry.NOOP);
    }

    /** @param observations a span per call, its {@code traceparent} sent to the hub or source (issue 16) */
    public HubClients(Network network, LocalServerAddress addresses, SchemaValidationType validation,
                      io.micrometer.observation.ObservationRegistry observations) {
        this.network = network;
        this.addresses = addresses;
        this.validation = validation;
        this.observations = observations;
    }

    /** The IntraHub v3 port of the hub with this code. */
    public IntraHubPortType hub(String code) {
        return port("hub:" + code, IntraHubPortType.class, intraHub(code));
    }

    /**
     * The IntraHub v3 port of the hub with this code whose calls wait at most {@code receiveTimeout} for the hub (for
     * its answer to begin, and between two reads) instead of the network file's receive timeout: the federated
     * search's per-hub timeout, enforced by the socket of the thread that makes the call.
     */
    public IntraHubPortType hub(String code, java.time.Duration receiveTimeout) {
        HttpEndpoint intraHub = intraHub(code);
        return port("hub:" + code + "@" + receiveTimeout.toMillis() + "ms", "hub:" + code, IntraHubPortType.class,
                new HttpEndpoint(intraHub.url(), intraHub.connectTimeout(), receiveTimeout));
    }

    private HttpEndpoint intraHub(String code) {
        return network.hub(code).map(HubEndpoint::intraHub)
                .orElseThrow(() -> new UnknownHubException("no hub with code '" + code + "' in the network file"));
    }

    /** The metahub's port (patient-hub links, therapeutic exclusions). */
    public MetaHubPortType metahub() {
        return port("metahub", MetaHubPortType.class, network.metahub());
    }

    /** The IntraHub GetTransaction port of a hospital whose document source speaks SOAP. */
    public IntraHubPortType documentSource(Hospital hospital) {
        return port("source:" + hospital.facilityId(), IntraHubPortType.class, hospital.source().endpoint());
    }

    /** A port for any IntraHub v3 address (tests, one-off calls), without schema validation. Not cached. */
    public static <T> T create(Class<T> contract, URI address, HttpEndpoint timeouts) {
        return create(contract, address, timeouts, SchemaValidationType.NONE);
    }

    /**
     * A port for any IntraHub v3 address (tests, one-off calls). Not cached. {@code validation}: the directions CXF
     * validates against the project's schemas (a request that does not validate is never sent).
     */
    public static <T> T create(Class<T> contract, URI address, HttpEndpoint timeouts, SchemaValidationType validation) {
        return create(contract, address, timeouts, validation, null);
    }

    private static <T> T create(Class<T> contract, URI address, HttpEndpoint timeouts, SchemaValidationType validation,
                                ClientCallObservations observed) {
        JaxWsProxyFactoryBean factory = new JaxWsProxyFactoryBean();
        if (observed != null) {
            factory.getFeatures().add(observed);
        }
        factory.setServiceClass(contract);
        if (validation != SchemaValidationType.NONE) {
            // validate against the project's (served) schemas: without the WSDL CXF would derive schemas from the JAXB
            // classes, whose wildcards (##other) differ from the served ones (##any)
            String ns = contract == MetaHubPortType.class ? "http://www.recordbroker.be/metahub/v1"
                    : "http://www.ehealth.fgov.be/hubservices/protocol/v3";
            String prefix = contract == MetaHubPortType.class ? "MetaHub" : "IntraHub";
            factory.setWsdlURL(contract == MetaHubPortType.class ? "classpath:wsdl/metahub-v1.wsdl"
                    : "classpath:wsdl/intrahub-v3.wsdl");
            factory.setServiceName(new javax.xml.namespace.QName(ns, prefix + "Service"));
            factory.setEndpointName(new javax.xml.namespace.QName(ns, prefix + "Port"));
        }
        factory.setAddress(address.toString());
        // Real hubs send elements and code values beyond the project's XSD subset: read what we know, skip the rest.
        // A document a hub or source sends as an MTOM attachment stays in memory: CXF would spool one over 100 KB to a
        // temp file, a copy on disk that the Original Source Principle forbids. Larger ones are refused.
        factory.setProperties(new java.util.HashMap<>(Map.of("set-jaxb-validation-event-handler", Boolean.FALSE,
                AttachmentDeserializer.ATTACHMENT_MEMORY_THRESHOLD, MAX_ATTACHMENT_BYTES,
                AttachmentDeserializer.ATTACHMENT_MAX_SIZE, MAX_ATTACHMENT_BYTES,
                Message.SCHEMA_VALIDATION_ENABLED, validation)));
        T port = contract.cast(factory.create());
        Client client = ClientProxy.getClient(port);
        // Before the conduit is made: the JDK's HttpURLConnection, not CXF 4's default java.net.http client, whose
        // hand-offs between its selector and worker threads cost ~40% more CPU per call in the search benchmark.
        client.getEndpoint().getEndpointInfo().setProperty(HTTPConduitFactory.class.getName(), URL_CONNECTION);
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setConnectionTimeout(timeouts.connectTimeout().toMillis());
        policy.setReceiveTimeout(timeouts.receiveTimeout().toMillis());
        policy.setAllowChunking(false);
        ((HTTPConduit) client.getConduit()).setClient(policy);
        return port;
    }

    private <T> T port(String key, Class<T> contract, HttpEndpoint endpoint) {
        return port(key, key, contract, endpoint);
    }

    /** @param peer whom the port calls, as its calls' observations name it */
    private <T> T port(String key, String peer, Class<T> contract, HttpEndpoint endpoint) {
        return contract.cast(ports.computeIfAbsent(key,
                k -> create(contract, addresses.resolve(endpoint.url()), endpoint, validation,
                        observations.isNoop() ? null : new ClientCallObservations(observations, peer))));
    }

    /** A hub code that the network file does not know. */
    public static class UnknownHubException extends IllegalArgumentException {
        public UnknownHubException(String message) {
            super(message);
        }
    }
}
