package be.recordbroker.hl7;

import static be.recordbroker.hl7.Fixtures.SSIN;
import static be.recordbroker.hl7.Fixtures.msg;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboundMessageTest {

    @Test
    void readsTheEnvelope() {
        InboundMessage m = InboundMessage.parse(msg(
                "MSH|^~\\&|HIS^x|HOSP_A^1.2.3^ISO|RB|RB-FAC|20260322153000+0100||ADT^A01^ADT_A01|C-1|P^T|2.5^BEL|||AL|NE||8859/1",
                "PID|1||X^^^^PI"));

        assertThat(m.isHl7()).isTrue();
        assertThat(m.delimiters()).isEqualTo(Delimiters.DEFAULT);
        assertThat(m.sendingApplication()).isEqualTo("HIS^x");
        assertThat(m.sendingFacility()).isEqualTo("HOSP_A");
        assertThat(m.sendingFacilityRaw()).isEqualTo("HOSP_A^1.2.3^ISO");
        assertThat(m.receivingApplication()).isEqualTo("RB");
        assertThat(m.receivingFacility()).isEqualTo("RB-FAC");
        assertThat(m.dateTime()).isEqualTo("20260322153000+0100");
        assertThat(m.messageCode()).isEqualTo("ADT");
        assertThat(m.triggerEvent()).isEqualTo("A01");
        assertThat(m.structure()).isEqualTo("ADT_A01");
        assertThat(m.messageType()).isEqualTo("ADT^A01");
        assertThat(m.controlId()).isEqualTo("C-1");
        assertThat(m.processingId()).isEqualTo("P");
        assertThat(m.processingIdRaw()).isEqualTo("P^T");
        assertThat(m.version()).isEqualTo("2.5");
        assertThat(m.versionRaw()).isEqualTo("2.5^BEL");
        assertThat(m.acceptAckType()).isEqualTo("AL");
        assertThat(m.applicationAckType()).isEqualTo("NE");
        assertThat(m.charset()).isEqualTo("8859/1");
        assertThat(m.messageCount()).isEqualTo(1);
    }

    @Test
    void readsPid3RepetitionsMrgTxaObrAndObx() {
        InboundMessage m = InboundMessage.parse(msg(
                "MSH|^~\\&|A|F|B|G|20260101||MDM^T10|C|P|2.5",
                "PID|1||LOC-1^^^HOSP_A^PI~" + SSIN + "^^^BE-NN&1.3.6.1&ISO^NN~\"\"||Doe^Jo",
                "MRG|OLD-1^^^HOSP_A~OLD-2",
                "TXA|1|CR^Consult|AP|||||||||DOC-9^HIS|DOC-8^HIS|||file.pdf|AU||AV",
                "OBR|1|P-1|F-1|LAB^Lab panel^L",
                "OBR|2|P-2|F-2|OTHER^Other^L",
                "OBX|1|NM|718-7^Hemoglobin^LN||13.5|g/dL",
                "OBX|2|RP|DOC^Document||http://x/y^HIS^AP^PDF"));

        assertThat(m.patientIds()).containsExactly(
                new InboundMessage.PatientId("LOC-1", "HOSP_A", "", "PI"),
                new InboundMessage.PatientId(SSIN, "BE-NN", "1.3.6.1", "NN"),
                new InboundMessage.PatientId("", "", "", ""));
        assertThat(m.hasMrg()).isTrue();
        assertThat(m.mrg1()).isEqualTo("OLD-1");
        assertThat(m.txa2()).isEqualTo("CR");
        assertThat(m.txa12()).isEqualTo("DOC-9");
        assertThat(m.txa13()).isEqualTo("DOC-8");
        assertThat(m.txa16()).isEqualTo("file.pdf");
        assertThat(m.txa17()).isEqualTo("AU");
        assertThat(m.txa19()).isEqualTo("AV");
        assertThat(m.obr3()).isEqualTo("F-1");
        assertThat(m.obr4()).isEqualTo(new InboundMessage.Coded("LAB", "Lab panel"));
        assertThat(m.obxList()).hasSize(2);
        InboundMessage.Obx nm = m.obxList().get(0);
        assertThat(nm.sequence()).isEqualTo(1);
        assertThat(nm.setId()).isEqualTo("1");
        assertThat(nm.valueType()).isEqualTo("NM");
        assertThat(nm.observationId()).isEqualTo(new InboundMessage.Coded("718-7", "Hemoglobin"));
        assertThat(nm.value()).isEqualTo("13.5");
        assertThat(m.obxList().get(1).value()).isEqualTo("http://x/y^HIS^AP^PDF");
    }

    @Test
    void honoursCustomDelimiters() {
        InboundMessage m = InboundMessage.parse(msg(
                "MSH#!@%*#SENDER#FAC!1.2!ISO#RECV#RFAC#20260301120000##ADT!A01#MSG007#P#2.5",
                "PID#1##LOC!!!H!PI@" + SSIN + "!!!BE-NN!NN##DOE!JOHN"));

        assertThat(m.delimiters()).isEqualTo(new Delimiters('#', '!', '@', '%', '*', (char) 0));
        assertThat(m.sendingFacility()).isEqualTo("FAC");
        assertThat(m.messageType()).isEqualTo("ADT^A01");
        assertThat(m.controlId()).isEqualTo("MSG007");
        assertThat(m.patientIds()).extracting(InboundMessage.PatientId::identifierType).containsExactly("PI", "NN");
    }

    @Test
    void keepsATruncationCharacterAndRepairsADoubledEscape() {
        assertThat(InboundMessage.parse("MSH|^~\\&#|A|F|||x||ADT^A01|C|P|2.5\r").delimiters())
                .isEqualTo(new Delimiters('|', '^', '~', '\\', '&', '#'));
        // "^~\\&" as some exports write it: the duplicate falls back to the default sub-component separator
        assertThat(InboundMessage.parse("MSH|^~\\\\&|A|F|||x||ADT^A01|C|P|2.5\r").delimiters())
                .isEqualTo(Delimiters.DEFAULT);
    }

    @Test
    void unescapesValuesButKeepsRawFieldsRaw() {
        InboundMessage m = InboundMessage.parse("MSH|^~\\&|A\\F\\B|H\\S\\X^1|||x||ADT^A01|C\\T\\1|P|2.5\r");
        assertThat(m.sendingApplication()).isEqualTo("A\\F\\B");
        assertThat(m.sendingFacility()).isEqualTo("H^X");
        assertThat(m.controlId()).isEqualTo("C\\T\\1");
    }

    @Test
    void acceptsLfAndCrLfSegmentEnds() {
        String cr = Fixtures.adt("A01");
        InboundMessage lf = InboundMessage.parse(cr.replace("\r", "\n"));
        InboundMessage crlf = InboundMessage.parse(cr.replace("\r", "\r\n") + "\r\n\r\n");
        assertThat(lf.text()).isEqualTo(cr);
        assertThat(crlf.text()).isEqualTo(cr);
        assertThat(lf.patientIds()).hasSize(2);
        assertThat(InboundMessage.parse(cr).text()).isSameAs(cr);
    }

    @Test
    void isNotHl7WithoutMshAndFieldSeparator() {
        assertThat(InboundMessage.parse("").isHl7()).isFalse();
        assertThat(InboundMessage.parse(null).isHl7()).isFalse();
        assertThat(InboundMessage.parse("hello").isHl7()).isFalse();
        assertThat(InboundMessage.parse("MSH").isHl7()).isFalse();
        assertThat(InboundMessage.parse("MSHA|").isHl7()).isFalse();
        assertThat(InboundMessage.parse("PID|1||x\rMSH|^~\\&|").isHl7()).isFalse();
        InboundMessage bare = InboundMessage.parse("MSH|");
        assertThat(bare.isHl7()).isTrue();
        assertThat(bare.controlId()).isEmpty();
        assertThat(bare.messageType()).isEqualTo("^");
    }

    @Test
    void aFacilityKnownOnlyByItsUniversalIdIsStillAFacility() {
        InboundMessage m = InboundMessage.parse("MSH|^~\\&|HIS|^1.2.3.4^ISO|||x||ADT^A01|C|P|2.5\r");
        assertThat(m.sendingFacility()).isEqualTo("1.2.3.4");
        assertThat(m.sendingFacilityRaw()).isEqualTo("^1.2.3.4^ISO");
    }

    @Test
    void countsMessagesInOneFrame() {
        InboundMessage m = InboundMessage.parse(Fixtures.adt("A01") + Fixtures.adt("A08"));
        assertThat(m.messageCount()).isEqualTo(2);
        assertThat(m.triggerEvent()).isEqualTo("A01");
    }

    @Test
    void neverPrintsPatientDataOrContent() {
        InboundMessage m = InboundMessage.parse(Fixtures.mdm("T02"));
        assertThat(m.toString()).doesNotContain(SSIN).doesNotContain("Peeters").doesNotContain("JVBER");
        assertThat(m.obxList().get(0).toString()).doesNotContain("JVBER");
    }
}
