package be.recordbroker.ingest;

import static be.recordbroker.ingest.Hl7TestMessages.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

import be.recordbroker.TestMllp;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.sandbox.SandboxFaults;
import be.recordbroker.sandbox.SandboxNetwork;
import be.recordbroker.sandbox.SandboxWorld;

/** HL7 v2 over MLLP into the running broker with HAPI's own client, out at the sandbox hubs over SOAP. */
@ExtendWith(OutputCaptureExtension.class)
class IngestEndToEndTest extends SandboxIntegrationTest {

    private static HapiContext hapi;

    @Autowired
    SandboxNetwork sandbox;

    @Autowired
    DeadLetters deadLetters;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @BeforeAll
    static void hapiClient() {
        hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.5"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
    }

    @AfterAll
    static void closeHapi() throws IOException {
        hapi.close();
    }

    /**
     * Sends one message on its own socket with HAPI's MLLP codec and returns the ACK as parsed by HAPI. Not HAPI's
     * connection hub: it shares one socket between threads and pipelines their messages, which camel-mllp does not
     * read (a second frame that arrives before the first is answered is dropped; the sender times out and resends).
     */
    private static Terser send(String er7) throws Exception {
        return send(er7, MLLP_PORT);
    }

    private static Terser send(String er7, int port) throws Exception {
        String ack = TestMllp.send(port, er7);
        assertThat(ack).as("an answer to " + er7.split("\\|", 11)[9]).isNotNull();
        return new Terser(hapi.getPipeParser().parse(ack));
    }

    private SandboxWorld world() {
        return sandbox.world();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private void awaitDocument(String hub, String localId, SandboxWorld.Status status) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                world().document(hub, localId).map(d -> d.status() == status).orElse(false));
    }

    @Test
    void anMdmT02IsAcknowledgedAaAndDeclaredByReferenceAtTheHospitalsHub() throws Exception {
        String ssin = newSsin();
        String control = controlId("T02");
        String documentNumber = "BRU-IT-" + control;
        byte[] content = pdfWith("plain test content " + control);

        Terser ack = send(mdm("SANDBOX-BRU", "T02", control, ssin, documentNumber, null, content));

        assertThat(ack.get("/MSA-1")).isEqualTo("AA");
        assertThat(ack.get("/MSA-2")).isEqualTo(control);
        assertThat(ack.get("/MSH-3")).isEqualTo("RECORD-BROKER");
        assertThat(ack.get("/MSH-4")).isEqualTo("RECORD-BROKER");
        assertThat(ack.get("/MSH-5")).isEqualTo("TEST-HIS");
        assertThat(ack.get("/MSH-6")).isEqualTo("SANDBOX-BRU");
        awaitDocument("rsb", documentNumber, SandboxWorld.Status.AVAILABLE);
        SandboxWorld.StoredDocument declared = world().document("rsb", documentNumber).orElseThrow();
        assertThat(declared.patient()).isEqualTo(ssin);
        assertThat(declared.type()).isEqualTo("contactreport");
        assertThat(declared.sha256()).isEqualTo(sha256(content));
        assertThat(declared.size()).isEqualTo(content.length);
        assertThat(declared.mimeType()).isEqualTo("application/pdf");
        assertThat(declared.hospital()).isEqualTo("SANDBOX-BRU");
        assertThat(declared.authorNihii()).isEqualTo("12345625004");
        assertThat(declared.kmehrXml()).as("declared by reference: the hub holds no content").isNull();
        assertThat(world().hubsOf(ssin)).contains("rsb");
    }

    /**
     * A title longer than the ledger's column (OBX-3-2 here, 300 characters) is accepted and declared cut to 256,
     * ending with "…": it used to be accepted, declared at the hub, then refused by the ledger, and the message
     * went round its hub's queue, pausing the hub, until the max age.
     */
    @Test
    void aTitleLongerThanTheLedgerHoldsIsDeclaredCut() throws Exception {
        String ssin = newSsin();
        String control = controlId("T02");
        String documentNumber = "BRU-IT-" + control;
        String title = "Consultation report " + "x".repeat(280);

        Terser ack = send(mdm("SANDBOX-BRU", "T02", control, ssin, documentNumber, null, pdfWith("long title " + control))
                .replace("OBX|1|ED|contactreport^Consultation report^L", "OBX|1|ED|contactreport^" + title + "^L"));

        assertThat(ack.get("/MSA-1")).isEqualTo("AA");
        awaitDocument("rsb", documentNumber, SandboxWorld.Status.AVAILABLE);
        assertThat(world().document("rsb", documentNumber).orElseThrow().title())
                .hasSize(DocumentDeclaration.MAX_TEXT).startsWith("Consultation report xxx").endsWith("x…");
    }

    @Test
    void theListenerCountsAndTimesEveryFrameAndCamelsRouteMetricsCountItsRouteToo() throws Exception {
        double before = meters.find("rb.hl7.messages").tags("hospital", "SANDBOX-GNT", "type", "ADT^A28", "ack", "AA")
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        long timedBefore = meters.get("rb.hl7.answer").timer().count();
        double routeBefore = listenerRoute("camel.exchanges.total").functionCounter().count();
        double routeSucceededBefore = listenerRoute("camel.exchanges.succeeded").functionCounter().count();
        double routeTimedBefore = listenerRoute("camel.route.policy").functionTimer().count();

        assertThat(send(adt("SANDBOX-GNT", "A28", controlId("MET"), newSsin())).get("/MSA-1")).isEqualTo("AA");

        assertThat(meters.get("rb.hl7.messages").tags("hospital", "SANDBOX-GNT", "type", "ADT^A28", "ack", "AA")
                .counter().count()).isEqualTo(before + 1);
        assertThat(meters.get("rb.hl7.answer").timer().count()).isGreaterThan(timedBefore);
        // issue 16: every route is in Camel's route metrics, the MLLP listener included (docs/operations.md); the
        // route's exchange is done a moment after the ACK has gone out
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(listenerRoute("camel.exchanges.total").functionCounter().count())
                    .isGreaterThanOrEqualTo(routeBefore + 1);
            assertThat(listenerRoute("camel.exchanges.succeeded").functionCounter().count())
                    .isGreaterThanOrEqualTo(routeSucceededBefore + 1);
            assertThat(listenerRoute("camel.route.policy").functionTimer().count())
                    .isGreaterThanOrEqualTo(routeTimedBefore + 1);
        });
        assertThat(listenerRoute("camel.exchanges.failed").functionCounter().count()).isZero();
    }

    private io.micrometer.core.instrument.search.RequiredSearch listenerRoute(String meter) {
        return meters.get(meter).tags("routeId", "hl7-mllp-listener", "kind", "CamelRoute");
    }

    @Test
    void contentErrorsAreAnsweredAeAndUnsupportedMessagesAr() throws Exception {
        String ssin = newSsin();
        record Case(String name, String message, String expected) {
        }
        List<Case> cases = List.of(
                new Case("unknown sending facility",
                        mdm("NOT-A-HOSPITAL", "T02", controlId("c"), ssin, "D1", null, null), "AE"),
                new Case("invalid SSIN", mdm("SANDBOX-BRU", "T02", controlId("c"), "85073003329", "D2", null, null), "AE"),
                new Case("MDM without TXA-12", mdm("SANDBOX-BRU", "T02", controlId("c"), ssin, null, null, null), "AE"),
                new Case("T10 without TXA-13", mdm("SANDBOX-BRU", "T10", controlId("c"), ssin, "D3", null, null), "AE"),
                new Case("TXA-12 of 200 characters", mdm("SANDBOX-BRU", "T01", controlId("c"), ssin, "D".repeat(200),
                        null, null), "AE"),
                new Case("MSH-10 of 200 characters", msh("SANDBOX-BRU", "ADT^A28^ADT_A05", controlId("c") + "C".repeat(200),
                        "2.5", "P", null) + "\rEVN|A28\r" + pid(ssin) + "\r", "AR"),
                new Case("unsupported version", msh("SANDBOX-BRU", "ADT^A28^ADT_A05", controlId("c"), "2.2", "P", null)
                        + "\rEVN|A28\r" + pid(ssin) + "\r", "AR"),
                new Case("unsupported message type", msh("SANDBOX-BRU", "ADT^A17^ADT_A17", controlId("c"), "2.5", "P",
                        null) + "\rEVN|A17\r" + pid(ssin) + "\r", "AR"),
                new Case("unsupported processing id", msh("SANDBOX-BRU", "ADT^A28^ADT_A05", controlId("c"), "2.5", "D",
                        null) + "\rEVN|A28\r" + pid(ssin) + "\r", "AR"));
        for (Case c : cases) {
            String control = c.message().split("\\|", 11)[9];
            Terser ack = send(c.message());
            assertThat(ack.get("/MSA-1")).as(c.name()).isEqualTo(c.expected());
            assertThat(ack.get("/MSA-2")).as(c.name()).isEqualTo(control);
            assertThat(ack.get("/ERR-3-1")).as(c.name() + ": ERR-3 from table 0357").matches("\\d{3}");
            assertThat(ack.get("/MSA-3")).as(c.name()).isNotBlank().doesNotContain("85073003329");
        }
    }

    @Test
    void anEnhancedModeMessageGetsACommitAcceptAck() throws Exception {
        String control = controlId("CA");
        String message = msh("SANDBOX-GNT", "ADT^A28^ADT_A05", control, "2.5", "P", "AL") + "\rEVN|A28|" + TS + "\r"
                + pid(newSsin()) + "\rPV1|1|N\r";

        Terser ack = send(message);

        assertThat(ack.get("/MSA-1")).isEqualTo("CA");
        assertThat(ack.get("/MSA-2")).isEqualTo(control);
    }

    @Test
    void aDuplicateIsAcknowledgedAgainAndDeclaredOnce() throws Exception {
        String ssin = newSsin();
        String control = controlId("DUP");
        String documentNumber = "GNT-DUP-" + control;
        String message = mdm("SANDBOX-GNT", "T02", control, ssin, documentNumber, null, pdfWith("dup"));
        java.util.function.DoubleSupplier skipped = () -> {
            var counter = meters.find("rb.hl7.duplicates.skipped").tags("hospital", "SANDBOX-GNT").counter();
            return counter == null ? 0 : counter.count();
        };
        double skippedBefore = skipped.getAsDouble();

        assertThat(send(message).get("/MSA-1")).isEqualTo("AA");
        awaitDocument("cozo", documentNumber, SandboxWorld.Status.AVAILABLE);
        assertThat(send(message).get("/MSA-1")).isEqualTo("AA");
        // a later message for the same patient is applied after anything queued before it: wait for it
        String marker = "GNT-DUP-MARK-" + control;
        assertThat(send(mdm("SANDBOX-GNT", "T02", controlId("DUPM"), ssin, marker, null, pdfWith("m"))).get("/MSA-1"))
                .isEqualTo("AA");
        awaitDocument("cozo", marker, SandboxWorld.Status.AVAILABLE);

        await().atMost(Duration.ofSeconds(5)).until(() -> wire.received().stream()
                .anyMatch(r -> r.body().contains(">" + marker + "<")));
        long declarations = wire.received().stream()
                .filter(r -> r.path().equals("/sandbox/hubs/cozo/intrahub/v3"))
                .filter(r -> r.soapAction() != null && r.soapAction().contains("DeclareTransaction"))
                .filter(r -> r.body().contains(">" + documentNumber + "<"))
                .count();
        assertThat(declarations).isEqualTo(1);
        assertThat(skipped.getAsDouble()).as("the resend was queued and skipped as already applied")
                .isEqualTo(skippedBefore + 1);
    }

    @Test
    void everyMessageTypeHasItsEffectAtTheHub() throws Exception {
        String facility = "SANDBOX-LGE";
        String ssin = newSsin();
        for (String trigger : List.of("A01", "A04", "A08", "A28", "A31")) {
            String other = newSsin();
            assertThat(send(adt(facility, trigger, controlId(trigger), other)).get("/MSA-1")).as(trigger).isEqualTo("AA");
            await().atMost(Duration.ofSeconds(20)).until(() -> world().patient("rsw", other).isPresent());
        }
        // ORU^R01 -> a lab result declaration
        String order = "LGE-ORD-" + controlId("o");
        assertThat(send(oru(facility, controlId("ORU"), ssin, order)).get("/MSA-1")).isEqualTo("AA");
        awaitDocument("rsw", order, SandboxWorld.Status.AVAILABLE);
        assertThat(world().document("rsw", order).orElseThrow().type()).isEqualTo("labresult");
        // T01 (notification, no content) -> declared without content metadata
        String notified = "LGE-T01-" + controlId("t");
        assertThat(send(mdm(facility, "T01", controlId("T01"), ssin, notified, null, null)).get("/MSA-1")).isEqualTo("AA");
        awaitDocument("rsw", notified, SandboxWorld.Status.AVAILABLE);
        assertThat(world().document("rsw", notified).orElseThrow().sha256()).isNull();
        // T10 replaces T01's document; T11 cancels the replacement
        String replacement = "LGE-T10-" + controlId("t");
        assertThat(send(mdm(facility, "T10", controlId("T10"), ssin, replacement, notified, pdfWith("v2"))).get("/MSA-1"))
                .isEqualTo("AA");
        awaitDocument("rsw", replacement, SandboxWorld.Status.AVAILABLE);
        awaitDocument("rsw", notified, SandboxWorld.Status.REVOKED);
        assertThat(send(mdm(facility, "T11", controlId("T11"), ssin, replacement, null, null)).get("/MSA-1"))
                .isEqualTo("AA");
        awaitDocument("rsw", replacement, SandboxWorld.Status.REVOKED);
        // A40: the lab result moves from the merged patient to the survivor
        String survivor = newSsin();
        assertThat(send(a40(facility, controlId("A40"), survivor, ssin)).get("/MSA-1")).isEqualTo("AA");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                world().document("rsw", order).map(d -> d.patient().equals(survivor)).orElse(false));
    }

    @Test
    void whileAHubIsDownMessagesAreAcceptedAndQueuedThenDeclaredWhenItIsBack() throws Exception {
        faults.set("rsw", new SandboxFaults.Faults(0, 0.0, true));
        String documentNumber = "LGE-OUTAGE-" + controlId("o");

        assertThat(send(mdm("SANDBOX-LGE", "T02", controlId("OUT"), newSsin(), documentNumber, null, pdfWith("x")))
                .get("/MSA-1")).isEqualTo("AA");
        Thread.sleep(1500); // several retries fail meanwhile
        assertThat(world().document("rsw", documentNumber)).isEmpty();

        faults.clearAll();
        awaitDocument("rsw", documentNumber, SandboxWorld.Status.AVAILABLE);
    }

    @Test
    void eachPatientsT02T10T11ApplyInOrderWhilePatientsRunInParallel() throws Exception {
        int patients = 12;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<String[]>> runs = new ArrayList<>();
        for (int i = 0; i < patients; i++) {
            runs.add(pool.submit(() -> {
                String ssin = newSsin();
                String original = "BRU-ORD-A-" + controlId("p");
                String replacement = "BRU-ORD-B-" + controlId("p");
                assertThat(send(mdm("SANDBOX-BRU", "T02", controlId("o1"), ssin, original, null, pdfWith("a")))
                        .get("/MSA-1")).isEqualTo("AA");
                assertThat(send(mdm("SANDBOX-BRU", "T10", controlId("o2"), ssin, replacement, original, pdfWith("b")))
                        .get("/MSA-1")).isEqualTo("AA");
                assertThat(send(mdm("SANDBOX-BRU", "T11", controlId("o3"), ssin, replacement, null, null))
                        .get("/MSA-1")).isEqualTo("AA");
                return new String[]{original, replacement};
            }));
        }
        List<String[]> documents = new ArrayList<>();
        for (Future<String[]> run : runs) {
            documents.add(run.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        for (String[] pair : documents) {
            awaitDocument("rsb", pair[1], SandboxWorld.Status.REVOKED);
            assertThat(world().document("rsb", pair[0]).orElseThrow().status()).isEqualTo(SandboxWorld.Status.REVOKED);
        }
        assertThat(deadLetters.list()).noneMatch(d -> String.valueOf(d.get("controlId")).startsWith("o"));
    }

    /**
     * The race ClusterIT met: a T11 reaches a consumer before the T02 of its document was applied (there, the T02 was
     * in a killed instance's hands). The T11 waits at the end of the hub's queue and revokes the document once the T02
     * is applied; nothing is dead-lettered and the hub is not paused.
     */
    @Test
    void aT11ThatArrivesBeforeItsDocumentWasAnnouncedWaitsForTheDeclarationThenRevokesIt() throws Exception {
        String ssin = newSsin();
        String documentNumber = "BRU-EARLY-" + controlId("e");
        String cancel = controlId("e11");
        double waitsBefore = unannouncedWaits("rsb");

        assertThat(send(mdm("SANDBOX-BRU", "T11", cancel, ssin, documentNumber, null, null)).get("/MSA-1"))
                .isEqualTo("AA");
        await().atMost(Duration.ofSeconds(20)).until(() -> unannouncedWaits("rsb") > waitsBefore);
        assertThat(send(mdm("SANDBOX-BRU", "T02", controlId("e02"), ssin, documentNumber, null, pdfWith("early")))
                .get("/MSA-1")).isEqualTo("AA");

        awaitDocument("rsb", documentNumber, SandboxWorld.Status.REVOKED);
        assertThat(deadLetters.list()).noneMatch(d -> cancel.equals(d.get("controlId")));
    }

    /**
     * A T11 for a document its hospital never declared is dead-lettered, as before, once its waits are spent; a T10
     * whose parent was never declared declares its replacement alone after its waits.
     */
    @Test
    void aT11ForANeverAnnouncedDocumentIsDeadLetteredAfterItsWaitsAndSuchAT10DeclaresItsReplacementAlone()
            throws Exception {
        String ssin = newSsin();
        String cancel = controlId("n11");
        String replacement = "BRU-ALONE-" + controlId("n");
        double waitsBefore = unannouncedWaits("rsb");

        assertThat(send(mdm("SANDBOX-BRU", "T11", cancel, ssin, "BRU-NEVER-" + cancel, null, null)).get("/MSA-1"))
                .isEqualTo("AA");
        assertThat(send(mdm("SANDBOX-BRU", "T10", controlId("n10"), newSsin(), replacement, "BRU-NEVER-PARENT-" + cancel,
                pdfWith("alone"))).get("/MSA-1")).isEqualTo("AA");

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.list().stream()
                .anyMatch(d -> cancel.equals(d.get("controlId"))));
        assertThat(deadLetters.list()).filteredOn(d -> cancel.equals(d.get("controlId"))).singleElement()
                .satisfies(d -> assertThat(String.valueOf(d.get("reason"))).contains("never announced"));
        awaitDocument("rsb", replacement, SandboxWorld.Status.AVAILABLE);
        // each waited 4 times (record-broker.ingest.redelivery.unannounced-waits in the tests)
        assertThat(unannouncedWaits("rsb") - waitsBefore).isGreaterThanOrEqualTo(8);
    }

    private double unannouncedWaits(String hub) {
        var counter = meters.find("rb.hl7.unannounced.waits").tag("hub", hub).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void embeddedContentNeverReachesTheQueueTheDatabaseTheLogsOrTempFiles(CapturedOutput output) throws Exception {
        java.time.Instant started = java.time.Instant.now().minusSeconds(1);
        String canary = "CANARY-" + java.util.UUID.randomUUID().toString().replace("-", "");
        byte[] content = pdfWith(canary);
        String documentNumber = "BRU-CANARY-" + controlId("c");

        assertThat(send(mdm("SANDBOX-BRU", "T02", controlId("CAN"), newSsin(), documentNumber, null, content))
                .get("/MSA-1")).isEqualTo("AA");
        awaitDocument("rsb", documentNumber, SandboxWorld.Status.AVAILABLE);

        byte[] plain = canary.getBytes(StandardCharsets.US_ASCII);
        String base64 = Base64.getEncoder().encodeToString(content);
        byte[] base64Middle = base64.substring(8, 40).getBytes(StandardCharsets.US_ASCII);
        // the broker's data (journal, database) and whatever appeared in the temp directory during this test
        List<Path> roots = List.of(Path.of("target/it-data"), Path.of(System.getProperty("java.io.tmpdir")));
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).filter(Files::isReadable)
                        .filter(f -> root.endsWith("it-data") || modifiedSince(f, started)).toList()) {
                    if (Files.size(file) > 512L * 1024 * 1024) {
                        continue;
                    }
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(file);
                    } catch (IOException unreadable) {
                        continue;
                    }
                    assertThat(indexOf(bytes, plain)).as("canary in " + file).isEqualTo(-1);
                    assertThat(indexOf(bytes, base64Middle)).as("base64 content in " + file).isEqualTo(-1);
                }
            }
        }
        assertThat(output.getAll()).doesNotContain(canary).doesNotContain(new String(base64Middle));
    }

    @Test
    void aHospitalsOwnListenerFromRoutesYamlServesThatHospitalOnly() throws Exception {
        String documentNumber = "LGE-OWN-PORT-" + controlId("p");
        assertThat(send(mdm("SANDBOX-LGE", "T02", controlId("LGE"), newSsin(), documentNumber, null, pdfWith("own")),
                LGE_MLLP_PORT).get("/MSA-1")).isEqualTo("AA");
        awaitDocument("rsw", documentNumber, SandboxWorld.Status.AVAILABLE);

        Terser other = send(mdm("SANDBOX-BRU", "T02", controlId("BRU"), newSsin(), "BRU-WRONG-PORT", null, pdfWith("x")),
                LGE_MLLP_PORT);
        assertThat(other.get("/MSA-1")).isEqualTo("AE");
    }

    @Test
    void aFrameThatIsNotHl7GetsARejectNotSilence() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", MLLP_PORT)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("\u000bthis is not an HL7 message\u001c\r").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readFrame(socket.getInputStream());
            assertThat(answer).startsWith("MSH|");
            assertThat(answer).contains("MSA|AR");
        }
    }

    @Test
    void lfSegmentEndsAndRawFramingAreTolerated() throws Exception {
        String control = controlId("LF");
        String message = adt("SANDBOX-BRU", "A28", control, newSsin()).replace('\r', '\n');
        try (Socket socket = new Socket("127.0.0.1", MLLP_PORT)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("\u000b" + message + "\u001c\r").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = readFrame(socket.getInputStream());
            assertThat(answer).contains("MSA|AA|" + control);
        }
    }

    private static boolean modifiedSince(Path file, java.time.Instant since) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isAfter(since);
        } catch (IOException gone) {
            return false;
        }
    }

    private static String readFrame(InputStream in) throws IOException {
        StringBuilder frame = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == 0x0b) {
                continue;
            }
            if (b == 0x1c) {
                break;
            }
            frame.append((char) b);
        }
        return frame.toString();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
