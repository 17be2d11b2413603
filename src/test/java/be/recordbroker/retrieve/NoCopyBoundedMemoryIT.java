package be.recordbroker.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import be.recordbroker.BrokerJvm;
import be.recordbroker.TestIo;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.fhir.DocumentReferences;

/**
 * No copy, bounded memory: the broker runs as its own JVM with {@code -Xmx256m} (and its temp dir, data dir and log
 * in {@code target/no-copy-test}); the seed's few-MB PDF and a 1 GB generated document with a canary string in the
 * middle are retrieved through {@code GET /api/v1/documents/{id}}, and the 1 GB again through the FHIR face (ITI-68,
 * the attachment URL an ITI-67 search gives), each arrives byte for byte (SHA-256), and once the
 * broker has stopped, neither the canary nor a sample of the document's bytes is found in any file it wrote: H2
 * database, Artemis journal, log, temp files. The sandbox source (in the broker's JVM) generates the 1 GB as it is
 * read, so the heap cap holds for the source and the broker together.
 */
class NoCopyBoundedMemoryIT {

    private static final Path BASE = Path.of("").toAbsolutePath();
    private static final Path OUT = BASE.resolve("target/no-copy-test");
    private static final long GIGABYTE = 1L << 30;
    private static final long SAMPLE_AT = 300L * 1024 * 1024;
    private static final int SAMPLE_LENGTH = 48;

    private static Process broker;

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (broker != null && broker.isAlive()) {
            broker.destroyForcibly();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFewMegabytePdfAndAGigabyteThroughTheRestAndFhirFacesArriveWholeThroughA256MbBrokerThatKeepsNoCopy() throws Exception {
        TestIo.deleteTree(OUT);
        Files.createDirectories(OUT.resolve("tmp"));
        int port = TestIo.freePort();
        String base = "http://127.0.0.1:" + port;
        Path log = OUT.resolve("broker.log");
        int management = TestIo.freePort();
        broker = start(port, management, log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        awaitHealth(http, "http://127.0.0.1:" + management, log);

        String canary = "CANARY" + UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
        String gigabyte = "GEN-" + GIGABYTE + "-7-" + canary;
        RetrievalFixtures fixtures = new RetrievalFixtures(base);
        String patient = "12020175988"; // seed: consent, BRU-PDF-00001 at the Brussels hospital
        fixtures.link(patient, RetrievalFixtures.GP, "gpconsultation");
        String bigId = fixtures.declare(RetrievalFixtures.BRU, patient, gigabyte, "dischargereport", null);
        String pdfId = RetrievalFixtures.seal(new DocumentId(RetrievalFixtures.BRU.hubEhpId(), patient, "RSBID", "BRU-PDF-00001"));
        String token = fixtures.gpToken();

        // Serving at all first: in the full suite a retrieval a second or two after readiness sometimes answered 500
        // (RejectedExecutionException from the retrieval route; not yet understood, noted in issue 12's note). This
        // test is about what the broker keeps while it streams, so it starts once one retrieval has succeeded.
        long serving = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                retrieve(http, base + "/api/v1/documents/" + pdfId, token);
                break;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > serving) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
        // the PDF, against the source's own bytes
        Received pdf = retrieve(http, base + "/api/v1/documents/" + pdfId, token);
        Received pdfAtSource = retrieve(http, base + "/sandbox/hospitals/SANDBOX-BRU/documents/BRU-PDF-00001", null);
        assertThat(pdf.bytes()).isGreaterThan(3L * 1024 * 1024);
        assertThat(pdf.sha256()).isEqualTo(pdfAtSource.sha256());

        // the gigabyte, against its hash computed here while it streams; meanwhile the broker's files are measured
        CompletableFuture<String> expected = CompletableFuture.supplyAsync(() -> RetrievalFixtures.generatedSha256(gigabyte));
        long filesBefore = diskUsage();
        DiskWatch watch = new DiskWatch();
        watch.start();
        Received big = retrieve(http, base + "/api/v1/documents/" + bigId, token);
        assertThat(big.bytes()).isEqualTo(GIGABYTE);
        assertThat(big.sha256()).isEqualTo(expected.get(120, TimeUnit.SECONDS));
        assertThat(broker.isAlive()).as("the 256 MB broker survived (see " + log + ")").isTrue();
        // the same gigabyte through the FHIR face: ITI-67 names its attachment URL, ITI-68 streams it
        String attachment = fhirAttachmentUrl(http, base, patient, bigId, token);
        assertThat(attachment).isEqualTo(base + "/fhir/documents/" + bigId);
        Received viaFhir = retrieve(http, attachment, token);
        watch.interrupt();
        watch.join();
        assertThat(viaFhir.bytes()).isEqualTo(GIGABYTE);
        assertThat(viaFhir.sha256()).isEqualTo(big.sha256());
        assertThat(viaFhir.sample()).isEqualTo(big.sample());
        assertThat(broker.isAlive()).as("the 256 MB broker survived the FHIR retrieval (see " + log + ")").isTrue();
        assertThat(watch.max - filesBefore).as("growth of the broker's files while 2 x 1 GB went through")
                .isLessThan(16L * 1024 * 1024);

        // once while it runs (a temp file deleted at shutdown would escape a later look), once stopped gracefully
        // (H2 and the journal closed, the log complete)
        List<byte[]> needles = List.of(canary.getBytes(StandardCharsets.US_ASCII), big.sample());
        byte[] control = bigId.getBytes(StandardCharsets.US_ASCII); // the audit row names the document
        assertThat(scan(needles)).as("document content in the files of the running broker").isEmpty();
        broker.destroy();
        assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("broker stopped").isTrue();
        List<Path> written = files();
        assertThat(written).as("files the broker wrote").anyMatch(p -> p.toString().contains("artemis"))
                .anyMatch(p -> p.getFileName().toString().endsWith(".mv.db")).contains(log);
        assertThat(scan(List.of(control))).as("the scan reads the database: it finds the audited document id")
                .isNotEmpty();
        assertThat(scan(needles)).as("document content in the files the broker wrote").isEmpty();
    }

    /** ITI-67 for the patient: the {@code content.attachment.url} of the DocumentReference of document {@code id}. */
    static String fhirAttachmentUrl(HttpClient http, String base, String patient, String id, String token)
            throws Exception {
        String query = URLEncoder.encode(DocumentReferences.SSIN_SYSTEM + "|" + patient, StandardCharsets.UTF_8);
        HttpResponse<String> found = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/fhir/DocumentReference?patient.identifier=" + query))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        for (JsonNode entry : new ObjectMapper().readTree(found.body()).path("entry")) {
            for (JsonNode identifier : entry.path("resource").path("identifier")) {
                if (DocumentReferences.DOCUMENT_ID_SYSTEM.equals(identifier.path("system").asText())
                        && id.equals(identifier.path("value").asText())) {
                    return entry.path("resource").path("content").path(0).path("attachment").path("url").asText();
                }
            }
        }
        throw new AssertionError("no DocumentReference for " + id + " in " + found.body());
    }

    /** Every file under the test's folder that holds one of the needles. */
    private static List<String> scan(List<byte[]> needles) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files()) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (java.nio.file.NoSuchFileException gone) {
                continue;
            }
            for (byte[] needle : needles) {
                if (indexOf(content, needle) >= 0) {
                    found.add(BASE.relativize(file) + " holds " + new String(needle, 0, Math.min(12, needle.length),
                            StandardCharsets.ISO_8859_1) + "...");
                }
            }
        }
        return found;
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(OUT)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static long diskUsage() {
        try {
            long total = 0;
            for (Path file : files()) {
                try {
                    total += Files.size(file);
                } catch (IOException gone) {
                    // deleted meanwhile
                }
            }
            return total;
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** Samples the size of the broker's files every 100 ms: a spooled copy would show as growth. */
    private static final class DiskWatch extends Thread {
        volatile long max;

        DiskWatch() {
            super("disk-watch");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                max = Math.max(max, diskUsage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** SHA-256, length and a sample of the bytes at {@link #SAMPLE_AT} (for the scan), read through 64 KB. */
    record Received(String sha256, long bytes, byte[] sample) {
    }

    static Received retrieve(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new AssertionError(url + " answered " + response.statusCode() + ": "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            byte[] sample = new byte[SAMPLE_LENGTH];
            long total = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    long at = total + i - SAMPLE_AT;
                    if (at >= 0 && at < SAMPLE_LENGTH) {
                        sample[(int) at] = buffer[i];
                    }
                }
                total += n;
            }
            return new Received(HexFormat.of().formatHex(digest.digest()), total, sample);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            if (haystack[i] != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Process start(int port, int management, Path log) throws IOException {
        List<String> command = new ArrayList<>(BrokerJvm.command("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=" + OUT.resolve("tmp")));
        command.addAll(List.of(
                "--server.port=" + port,
                "--management.server.port=" + management,
                "--record-broker.mllp.port=" + TestIo.freePort(),
                "--record-broker.sites.sandbox-lge.mllp-port=" + TestIo.freePort(),
                "--record-broker.data-dir=" + OUT.resolve("data"),
                "--spring.main.banner-mode=off"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(BASE.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        builder.environment().remove("RECORD_BROKER_DATA_DIR");
        return builder.start();
    }

    /** Until readiness says UP (issue 13): HTTP is open a moment before the routes run, and readiness says when. */
    private static void awaitHealth(HttpClient http, String managementBase, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new AssertionError("the broker exited with " + broker.exitValue() + " during start-up; see " + log);
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                                URI.create(managementBase + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the broker did not come up within 180 s; see " + log);
    }
}
