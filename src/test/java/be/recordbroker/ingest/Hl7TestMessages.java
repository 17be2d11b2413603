package be.recordbroker.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/** HL7 v2.5 messages for the ingest tests, written by hand so every field is visible in the test. */
public final class Hl7TestMessages {

    private static final AtomicInteger CONTROL = new AtomicInteger();
    private static final java.util.Set<String> ISSUED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final String TS = "20261122101500";

    private Hl7TestMessages() {
    }

    public static String controlId(String prefix) {
        return prefix + "-" + System.nanoTime() % 1_000_000_000 + "-" + CONTROL.incrementAndGet();
    }

    /** A fresh valid SSIN (born in the 1960s-80s), different at each call within a run. */
    /**
     * A valid SSIN (born 1930-1998) no other call of this run returned, drawn from ~25 million: the H2 ledger under
     * target/it-data outlives a run, and a patient another hospital declared documents for in an earlier run is not
     * this test's to merge (a few thousand values, as before, met such patients once the suite grew).
     */
    public static String newSsin() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        while (true) {
            java.time.LocalDate birth = java.time.LocalDate.of(1930, 1, 1).plusDays(random.nextInt(365 * 69));
            String first9 = String.format("%02d%02d%02d%03d", birth.getYear() % 100, birth.getMonthValue(),
                    birth.getDayOfMonth(), 1 + random.nextInt(997));
            String ssin = first9 + String.format("%02d", 97 - Long.parseLong(first9) % 97);
            if (ISSUED.add(ssin)) {
                return ssin;
            }
        }
    }

    public static String msh(String facility, String type, String controlId, String version, String processingId,
                      String acceptAck) {
        return "MSH|^~\\&|TEST-HIS|" + facility + "|RECORD-BROKER|RECORD-BROKER|" + TS + "||" + type + "|" + controlId
                + "|" + processingId + "|" + version + "|||" + (acceptAck == null ? "" : acceptAck) + "||||8859/1";
    }

    public static String msh(String facility, String type, String controlId) {
        return msh(facility, type, controlId, "2.5", "P", null);
    }

    public static String pid(String ssin) {
        return "PID|1||" + ssin + "^^^BE-NN^NN~H123456^^^HOSP^MR||Testpatient^Ann||19800101|F";
    }

    public static String mdm(String facility, String trigger, String controlId, String ssin, String documentNumber,
                      String parent, byte[] content) {
        StringBuilder m = new StringBuilder()
                .append(msh(facility, "MDM^" + trigger + "^" + ("T01".equals(trigger) || "T11".equals(trigger)
                        ? "MDM_T01" : "MDM_T02"), controlId)).append('\r')
                .append("EVN|").append(trigger).append('|').append(TS).append('\r')
                .append(pid(ssin)).append('\r')
                .append("PV1|1|O").append('\r')
                .append("TXA|1|contactreport^Consultation report|AP|").append(TS)
                .append("|12345625004^Verstraeten^An|").append(TS).append("||||||")
                .append(documentNumber == null ? "" : documentNumber).append('|')
                .append(parent == null ? "" : parent).append("||||AU||AV").append('\r');
        if (content != null) {
            m.append("OBX|1|ED|contactreport^Consultation report^L||SANDBOX^AP^PDF^Base64^")
                    .append(Base64.getEncoder().encodeToString(content)).append("||||||F").append('\r');
        }
        return m.toString();
    }

    public static String oru(String facility, String controlId, String ssin, String orderNumber) {
        return msh(facility, "ORU^R01^ORU_R01", controlId) + "\r"
                + pid(ssin) + "\r"
                + "OBR|1||" + orderNumber + "|LABPANEL^Blood panel^L|||" + TS + "|||||||||12345625004^Verstraeten^An\r"
                + "OBX|1|NM|718-7^Hemoglobin^LN||13.5|g/dL|12.0-16.0|N|||F\r";
    }

    public static String adt(String facility, String trigger, String controlId, String ssin) {
        String structure = switch (trigger) {
            case "A28", "A31" -> "ADT_A05";
            case "A40" -> "ADT_A39";
            default -> "ADT_A01";
        };
        return msh(facility, "ADT^" + trigger + "^" + structure, controlId) + "\r"
                + "EVN|" + trigger + "|" + TS + "\r"
                + pid(ssin) + "\r"
                + "PV1|1|N\r";
    }

    public static String a40(String facility, String controlId, String survivor, String merged) {
        return msh(facility, "ADT^A40^ADT_A39", controlId) + "\r"
                + "EVN|A40|" + TS + "\r"
                + pid(survivor) + "\r"
                + "MRG|" + merged + "^^^BE-NN^NN\r";
    }

    static byte[] pdfWith(String canary) {
        return ("%PDF-1.4\n% record-broker test document\n" + canary + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
    }
}
