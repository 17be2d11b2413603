package be.recordbroker.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import be.recordbroker.sandbox.SandboxSeed.SeedDocument;
import be.recordbroker.sandbox.SandboxSeed.SeedPatient;
import be.recordbroker.sandbox.SandboxSeed.SeedProfessional;

/**
 * A sandbox hospital's HL7 v2.5 sample feed, made from the seed: an ADT^A28 per patient, then per document an
 * MDM^T02 (content embedded as ED, as legacy HIS feeds do) or, for lab results, an ORU^R01. Segments end with CR.
 */
final class SandboxFeeds {

    private static final DateTimeFormatter HL7_TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** One message of the feed. */
    record FeedMessage(String controlId, String type, String text) {
    }

    private SandboxFeeds() {
    }

    static List<FeedMessage> feed(SandboxNetwork network, String facilityId, OffsetDateTime now) {
        List<SeedDocument> documents = network.seed().documents().stream()
                .filter(d -> d.hospital().equals(facilityId)).toList();
        Set<String> patientIds = new LinkedHashSet<>();
        documents.forEach(d -> patientIds.add(d.patient()));
        String prefix = facilityId.replace("SANDBOX-", "");
        String stamp = now.format(HL7_TS);
        List<FeedMessage> messages = new ArrayList<>();
        int n = 0;
        for (String ssin : patientIds) {
            SeedPatient p = patient(network, ssin);
            String id = prefix + "-" + stamp + "-" + (++n);
            messages.add(new FeedMessage(id, "ADT^A28", String.join("\r",
                    msh(facilityId, stamp, "ADT^A28^ADT_A05", id),
                    "EVN|A28|" + stamp,
                    pid(p),
                    "PV1|1|N")
                    + "\r"));
        }
        for (SeedDocument d : documents) {
            SeedPatient p = patient(network, d.patient());
            SeedProfessional author = network.professional(d.author());
            String id = prefix + "-" + stamp + "-" + (++n);
            String when = d.dateTime().format(HL7_TS);
            String xcn = author.nihii() + "^" + author.lastName() + "^" + author.firstName();
            if ("labresult".equals(d.type()) && "text".equals(d.content())) {
                messages.add(new FeedMessage(id, "ORU^R01", String.join("\r",
                        msh(facilityId, stamp, "ORU^R01^ORU_R01", id),
                        pid(p),
                        "OBR|1||" + d.localId() + "|LABPANEL^" + d.title() + "^L|||" + when + "|||||||||" + xcn,
                        "OBX|1|NM|718-7^Hemoglobin^LN||13.5|g/dL|12.0-16.0|N|||F",
                        "OBX|2|NM|6690-2^Leukocytes^LN||6.1|10*3/uL|4.0-10.0|N|||F")
                        + "\r"));
                continue;
            }
            SandboxSources.SourceDocument content = network.sources().find(facilityId, d.localId()).orElseThrow();
            String[] ed = edType(content.mimeType());
            messages.add(new FeedMessage(id, "MDM^T02", String.join("\r",
                    msh(facilityId, stamp, "MDM^T02^MDM_T02", id),
                    "EVN|T02|" + stamp,
                    pid(p),
                    "PV1|1|O",
                    "TXA|1|" + d.type() + "|" + ed[0] + "|" + when + "|" + xcn + "|" + when + "||||||" + d.localId()
                            + "|||||AU||AV",
                    "OBX|1|ED|" + d.type() + "^" + d.title() + "^L||" + facilityId + "^" + ed[0] + "^" + ed[1]
                            + "^Base64^" + base64(content) + "||||||F")
                    + "\r"));
        }
        return messages;
    }

    private static String msh(String facilityId, String stamp, String type, String controlId) {
        return "MSH|^~\\&|SANDBOX-HIS|" + facilityId + "|RECORD-BROKER|RECORD-BROKER|" + stamp + "||" + type + "|"
                + controlId + "|P|2.5||||||8859/1";
    }

    private static String pid(SeedPatient p) {
        return "PID|1||" + p.ssin() + "^^^BE-NN^NN||" + p.lastName() + "^" + p.firstName() + "||"
                + p.birthDate().toString().replace("-", "") + "|" + ("male".equals(p.sex()) ? "M" : "F");
    }

    /** ED type of data and subtype (HL7 tables 0191 / 0291) for a MIME type. */
    private static String[] edType(String mimeType) {
        return switch (mimeType) {
            case "application/pdf" -> new String[]{"AP", "PDF"};
            case "text/xml" -> new String[]{"TX", "XML"};
            default -> new String[]{"TX", "PLAIN"};
        };
    }

    private static String base64(SandboxSources.SourceDocument content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) content.size());
        try {
            content.writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static SeedPatient patient(SandboxNetwork network, String ssin) {
        return network.seed().patients().stream().filter(p -> p.ssin().equals(ssin)).findFirst().orElseThrow();
    }
}
