package be.recordbroker.hl7;

/** Messages for the tests, written for this project (no third-party material). */
final class Fixtures {

    static final String SSIN = "85073003328";
    static final String SSIN_2000 = "17073003384";
    static final String SSIN_OTHER = "93051822361";
    static final String SSIN_BAD = "85073003329";

    static final String FACILITY = "HOSP_A";
    static final String PID = "PID|1||LOC-77^^^HOSP_A^PI~" + SSIN + "^^^BE-NN^NN||Peeters^Jan||19850730|M";

    private Fixtures() {
    }

    /** MSH for a type such as {@code ADT^A01^ADT_A01}, version 2.5, production. */
    static String msh(String type) {
        return msh(type, "CTRL-0001", "P", "2.5");
    }

    static String msh(String type, String controlId, String processingId, String version) {
        return "MSH|^~\\&|HIS-APP|" + FACILITY + "^1.2.3.4^ISO|RB-APP|RB-FAC|20260322153000||" + type + "|" + controlId
                + "|" + processingId + "|" + version;
    }

    /** Segments joined with CR, CR-terminated. */
    static String msg(String... segments) {
        return String.join("\r", segments) + "\r";
    }

    static String adt(String trigger) {
        return msg(msh("ADT^" + trigger), "EVN|" + trigger + "|20260322153000", PID, "PV1|1|I");
    }

    static String a40() {
        return msg(msh("ADT^A40^ADT_A39"), "EVN|A40|20260322153000", PID, "MRG|OLD-123^^^HOSP_A^PI");
    }

    static String oru() {
        return msg(msh("ORU^R01^ORU_R01"), PID, "OBR|1||F-42|LABPANEL^Lab panel^L|||20260322150000",
                "OBX|1|NM|718-7^Hemoglobin^LN||13.5|g/dL|12.0-16.0|N|||F");
    }

    static String txa(String trigger, String txa12, String txa13) {
        return "TXA|1|CR|AP|20260322150000||20260322153000||||||" + txa12 + "|" + txa13 + "|||doc.pdf|AU||AV";
    }

    /** MDM with an ED OBX (AP^PDF, base64 of a tiny canary). */
    static String mdm(String trigger) {
        return msg(msh("MDM^" + trigger + "^MDM_T02"), "EVN|" + trigger + "|20260322153000", PID, "PV1|1|O",
                txa(trigger, "DOC-1", "T10".equals(trigger) ? "DOC-0" : ""),
                "OBX|1|ED|CR^Report^L||HOSP_A^AP^PDF^Base64^JVBERi0xLjQKJUNBTkFSWQo=||||||F");
    }

    static String mdmNotification(String trigger) {
        return msg(msh("MDM^" + trigger + "^MDM_T01"), "EVN|" + trigger + "|20260322153000", PID, "PV1|1|O",
                txa(trigger, "DOC-1", ""));
    }
}
