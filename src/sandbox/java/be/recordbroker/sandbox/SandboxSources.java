package be.recordbroker.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import be.recordbroker.domain.Hub;
import be.recordbroker.sandbox.SandboxSeed.SeedDocument;
import be.recordbroker.sandbox.SandboxSeed.SeedHospital;
import be.recordbroker.sandbox.SandboxSeed.SeedPatient;
import be.recordbroker.sandbox.SandboxSeed.SeedProfessional;

/**
 * What the sandbox hospitals hold: the bytes of their documents (the original sources). Seeded documents get
 * deterministic content by kind; a local id of the form {@code GEN-<size>-<seed>[-<canary>]} names a generated
 * document of any size that is streamed, never held, so tests can declare and fetch a 1 GB document.
 */
public final class SandboxSources {

    /** Largest generated document the sandbox will stream. */
    public static final long MAX_GENERATED = 8L * 1024 * 1024 * 1024;
    private static final Pattern GENERATED = Pattern.compile("GEN-(\\d{1,12})-(\\d{1,18})(?:-([A-Za-z0-9]{1,64}))?");

    /** A document as its source serves it. */
    public interface SourceDocument {
        String mimeType();

        long size();

        void writeTo(OutputStream out) throws IOException;
    }

    record HeldDocument(String mimeType, byte[] bytes) implements SourceDocument {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            for (int off = 0; off < bytes.length; off += SandboxContent.CHUNK) {
                out.write(bytes, off, Math.min(SandboxContent.CHUNK, bytes.length - off));
            }
        }
    }

    record GeneratedDocument(long size, long seed, String canary) implements SourceDocument {
        @Override
        public String mimeType() {
            return "application/octet-stream";
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            SandboxContent.generated(size, seed, canary, out);
        }
    }

    private final Map<String, HeldDocument> held = new ConcurrentHashMap<>();

    /** The document {@code localId} at hospital {@code facilityId}, or empty if that hospital does not hold it. */
    public Optional<SourceDocument> find(String facilityId, String localId) {
        HeldDocument document = held.get(key(facilityId, localId));
        if (document != null) {
            return Optional.of(document);
        }
        return generated(localId);
    }

    public static Optional<SourceDocument> generated(String localId) {
        Matcher m = GENERATED.matcher(localId);
        if (!m.matches()) {
            return Optional.empty();
        }
        long size = Long.parseLong(m.group(1));
        if (size > MAX_GENERATED) {
            return Optional.empty();
        }
        return Optional.of(new GeneratedDocument(size, Long.parseLong(m.group(2)), m.group(3)));
    }

    HeldDocument hold(String facilityId, String localId, String mimeType, byte[] bytes) {
        HeldDocument document = new HeldDocument(mimeType, bytes);
        held.put(key(facilityId, localId), document);
        return document;
    }

    /** Creates the content of a seeded document, deterministically from the seed. */
    HeldDocument create(SeedDocument doc, SeedPatient patient, SeedProfessional author, SeedHospital hospital, Hub hub) {
        long seed = doc.localId().hashCode();
        return switch (doc.content()) {
            case "pdf-small" -> hold(doc.hospital(), doc.localId(), "application/pdf",
                    SandboxContent.pdf(doc.title(), seed, 48 * 1024));
            case "pdf-large" -> hold(doc.hospital(), doc.localId(), "application/pdf",
                    SandboxContent.pdf(doc.title(), seed, 3 * 1024 * 1024 + 517));
            case "kmehr" -> hold(doc.hospital(), doc.localId(), "text/xml",
                    sumehr(doc, patient, author, hospital, hub).getBytes(StandardCharsets.UTF_8));
            case "text" -> hold(doc.hospital(), doc.localId(), "text/plain",
                    textReport(doc, patient, author, hospital).getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("sandbox seed: document " + doc.localId()
                    + " has unknown content kind '" + doc.content() + "' (kmehr, text, pdf-small, pdf-large)");
        };
    }

    private static String textReport(SeedDocument doc, SeedPatient patient, SeedProfessional author, SeedHospital hospital) {
        return doc.title() + "\n"
                + "Hospital: " + hospital.name() + "\n"
                + "Patient: " + patient.firstName() + " " + patient.lastName() + " (" + patient.birthDate() + ")\n"
                + "Author: " + author.name() + ", " + author.role() + "\n"
                + "Date: " + doc.dateTime() + "\n\n"
                + "Synthetic " + doc.type() + " produced by the record-broker sandbox. No real patient data.\n";
    }

    private static String sumehr(SeedDocument doc, SeedPatient patient, SeedProfessional author, SeedHospital hospital,
                                 Hub hub) {
        Map<String, String> values = new HashMap<>();
        values.put("hospitalNihii", hospital.nihii());
        values.put("hospitalName", xml(hospital.name()));
        values.put("hubEhpId", hub.ehpId());
        values.put("hubName", xml(hub.name()));
        values.put("localId", xml(doc.localId()));
        values.put("sourceLabel", xml(hub.sourceLabel()));
        values.put("date", doc.dateTime().toLocalDate().toString());
        values.put("time", doc.dateTime().toLocalTime().format(DateTimeFormatter.ISO_LOCAL_TIME));
        values.put("ssin", patient.ssin());
        values.put("firstName", xml(patient.firstName()));
        values.put("lastName", xml(patient.lastName()));
        values.put("birthDate", patient.birthDate().toString());
        values.put("sex", patient.sex());
        values.put("authorNihii", author.nihii());
        values.put("authorFirstName", xml(author.firstName()));
        values.put("authorLastName", xml(author.lastName()));
        String text = template();
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace("${" + e.getKey() + "}", e.getValue());
        }
        return text;
    }

    private static String template() {
        try (InputStream in = SandboxSources.class.getResourceAsStream("/sandbox/sumehr.xml.template")) {
            if (in == null) {
                throw new IllegalStateException("sandbox/sumehr.xml.template is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String key(String facilityId, String localId) {
        return facilityId + "/" + localId;
    }
}
