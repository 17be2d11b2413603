package be.recordbroker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import be.recordbroker.domain.Hub;
import be.recordbroker.domain.HubDirectory;
import be.recordbroker.domain.Ssin;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.HubEndpoint;
import be.recordbroker.network.Network;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.v25.segment.OBX;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** The sandbox hospitals' MLLP sender against a real HAPI MLLP server: what goes over the wire, and the ACK report. */
class SandboxFeedSenderTest {

    private static final String HOSPITAL = "SANDBOX-BRU";
    private static final Path ID_FILE = Path.of("id_file");

    private SandboxNetwork network;
    private HapiContext serverContext;
    private HL7Service server;
    private final List<Message> received = Collections.synchronizedList(new ArrayList<>());
    private IdFileState idFileBefore;

    @BeforeEach
    void setUp() throws Exception {
        idFileBefore = IdFileState.now();
        network = new SandboxNetwork(SandboxSeedLoader.load(new ClassPathResource("sandbox/seed.yaml")), sandboxNetworkFile());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) {
            server.stopAndWait();
        }
        if (serverContext != null) {
            serverContext.close();
        }
        assertThat(IdFileState.now()).as("HAPI must not write an id_file in the working directory")
                .isEqualTo(idFileBefore);
    }

    @Test
    void sendsTheHospitalsFeedAndEveryMessageIsAcknowledged() throws Exception {
        int port = startServer();

        SandboxFeedSender.Report report = new SandboxFeedSender("127.0.0.1", port, Clock.systemUTC()).send(network, HOSPITAL);

        assertThat(received).hasSize(report.sent());
        assertThat(report.sent()).isPositive();
        assertThat(report.hospital()).isEqualTo(HOSPITAL);
        assertThat(report.messages()).hasSize(report.sent());
        assertThat(report.messages()).allSatisfy(m -> assertThat(m.get("ack")).as("ACK of %s", m.get("controlId"))
                .isEqualTo("AA"));
        assertThat(report.acks()).containsExactly(Map.entry("AA", report.sent()));
    }

    @Test
    void sendsAPatientRegistrationThenADocumentOrLabResultPerDocument() throws Exception {
        int port = startServer();

        new SandboxFeedSender("127.0.0.1", port, Clock.systemUTC()).send(network, HOSPITAL);

        List<String> types = new ArrayList<>();
        for (Message m : received) {
            Terser t = new Terser(m);
            types.add(t.get("/MSH-9-1") + "^" + t.get("/MSH-9-2"));
        }
        assertThat(types).contains("ADT^A28", "MDM^T02");
        boolean hasLabResults = network.seed().documents().stream()
                .anyMatch(d -> d.hospital().equals(HOSPITAL) && "labresult".equals(d.type()));
        if (hasLabResults) {
            assertThat(types).contains("ORU^R01");
        }
        long hospitalDocuments = network.seed().documents().stream().filter(d -> d.hospital().equals(HOSPITAL)).count();
        assertThat(types.stream().filter(t -> !t.equals("ADT^A28")).count()).as("one message per document")
                .isEqualTo(hospitalDocuments);
    }

    @Test
    void everyMessageNamesTheHospitalAndAValidPatientSsin() throws Exception {
        int port = startServer();

        new SandboxFeedSender("127.0.0.1", port, Clock.systemUTC()).send(network, HOSPITAL);

        assertThat(received).isNotEmpty();
        for (Message m : received) {
            Terser t = new Terser(m);
            assertThat(t.get("/MSH-4-1")).isEqualTo(HOSPITAL);
            String ssin = t.get("/.PID-3-1");
            assertThat(Ssin.isValid(ssin)).as("PID-3.1 of %s is a valid SSIN", t.get("/MSH-10")).isTrue();
        }
    }

    @Test
    void everyDocumentMessageEmbedsTheSourcesBytes() throws Exception {
        int port = startServer();

        new SandboxFeedSender("127.0.0.1", port, Clock.systemUTC()).send(network, HOSPITAL);

        List<Message> mdm = received.stream().filter(m -> "MDM".equals(field(m, "/MSH-9-1"))).toList();
        assertThat(mdm).isNotEmpty();
        for (Message m : mdm) {
            Terser t = new Terser(m);
            String localId = t.get("/TXA-12-1");
            assertThat(localId).as("TXA-12 of %s", t.get("/MSH-10")).isNotBlank();
            assertThat(t.get("/TXA-17")).as("TXA-17 document completion status").isEqualTo("AU");
            assertThat(t.get("/TXA-19")).as("TXA-19 document availability status").isEqualTo("AV");
            OBX obx = onlyObx(m);
            assertThat(obx.getValueType().getValue()).isEqualTo("ED");
            String base64 = new Terser(m).get("/.OBX-5-5");
            assertThat(base64).as("OBX-5.5 of %s", localId).isNotBlank();
            byte[] embedded = Base64.getDecoder().decode(base64);
            Optional<SandboxSources.SourceDocument> source = network.sources().find(HOSPITAL, localId);
            assertThat(source).as("the source holds %s", localId).isPresent();
            assertThat(sha256(embedded)).as("content of %s", localId).isEqualTo(sha256(source.get()));
        }
    }

    @Test
    void noListenerIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SandboxFeedSender sender = new SandboxFeedSender("127.0.0.1", closedPort, Clock.systemUTC());

        assertThatThrownBy(() -> sender.send(network, HOSPITAL)).isInstanceOf(SandboxFeedSender.Unreachable.class)
                .hasMessageContaining(String.valueOf(closedPort));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The network file's sandbox hubs, as config/network.yaml declares them (path URLs on this server). */
    private static Network sandboxNetworkFile() {
        List<HubEndpoint> hubs = List.of(
                hub(new Hub("rsb", "1990000728", "RSBID", "Brussels Health Network (RSB/Abrumet)")),
                hub(new Hub("cozo", "1990000134", "COZOID", "Collaboratief Zorgplatform (CoZo)")),
                hub(new Hub("rsw", "1990000035", "RSWID", "Réseau Santé Wallon (RSW)")));
        return new Network(HubDirectory.of(hubs.stream().map(HubEndpoint::hub).toList()), hubs,
                new HttpEndpoint("/sandbox/metahub", Duration.ofSeconds(2), Duration.ofSeconds(5)), List.of());
    }

    private static HubEndpoint hub(Hub hub) {
        return new HubEndpoint(hub, new HttpEndpoint("/sandbox/hubs/" + hub.code() + "/intrahub/v3",
                Duration.ofSeconds(2), Duration.ofSeconds(10)));
    }

    private int startServer() throws Exception {
        int port = be.recordbroker.TestIo.freePort();
        serverContext = new DefaultHapiContext();
        serverContext.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        serverContext.setValidationContext(ValidationContextFactory.noValidation());
        server = serverContext.newServer(port, false);
        server.registerApplication("*", "*", new ReceivingApplication<Message>() {
            @Override
            public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
                received.add(message);
                try {
                    return message.generateACK();
                } catch (IOException e) {
                    throw new HL7Exception(e);
                }
            }

            @Override
            public boolean canProcess(Message message) {
                return true;
            }
        });
        server.startAndWait();
        assertThat(server.isRunning()).isTrue();
        return port;
    }

    private static OBX onlyObx(Message m) throws HL7Exception {
        List<OBX> obx = new ArrayList<>();
        collectObx(m, obx);
        assertThat(obx).as("OBX segments").hasSize(1);
        return obx.get(0);
    }

    private static void collectObx(ca.uhn.hl7v2.model.Group group, List<OBX> into) throws HL7Exception {
        for (String name : group.getNames()) {
            for (Structure s : group.getAll(name)) {
                if (s instanceof OBX obx) {
                    into.add(obx);
                } else if (s instanceof ca.uhn.hl7v2.model.Group g) {
                    collectObx(g, into);
                }
            }
        }
    }

    private static String field(Message m, String spec) {
        try {
            return new Terser(m).get(spec);
        } catch (HL7Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(SandboxSources.SourceDocument document) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.writeTo(out);
        assertThat((long) out.size()).isEqualTo(document.size());
        return sha256(out.toByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Whether ./id_file exists, and if so its content and modification time. */
    private record IdFileState(boolean exists, String content, long modified) {
        static IdFileState now() throws IOException {
            if (!Files.exists(ID_FILE)) {
                return new IdFileState(false, null, 0);
            }
            return new IdFileState(true, Files.readString(ID_FILE), Files.getLastModifiedTime(ID_FILE).toMillis());
        }
    }
}
