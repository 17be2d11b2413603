package be.recordbroker.hl7;

import static be.recordbroker.hl7.Fixtures.PID;
import static be.recordbroker.hl7.Fixtures.msg;
import static be.recordbroker.hl7.HapiJudge.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AckBuilderTest {

    private static final String INBOUND = msg(
            "MSH|^~\\&|HIS-APP^1.2.9^ISO|HOSP_A^1.2.3.4^ISO|RB-APP|RB-FAC^5.6^ISO|20260322153000||ADT^A08^ADT_A01|CTRL-42|P|2.4",
            PID);
    private static final Hl7Error MISSING = new Hl7Error("101", "PID^1^3", "PID-3 has no SSIN");

    @Test
    void aaEchoesTheControlIdAndSwapsApplicationsAndFacilities() {
        String ack = AckBuilder.ack(InboundMessage.parse(INBOUND), "AA", null, "ACK-7", "20260322153001.123+0100");
        Terser t = HapiJudge.parse(ack);

        assertThat(get(t, "/MSH-3-1")).isEqualTo("RB-APP");
        assertThat(get(t, "/MSH-4-1")).isEqualTo("RB-FAC");
        assertThat(get(t, "/MSH-4-2")).isEqualTo("5.6");
        assertThat(get(t, "/MSH-5-1")).isEqualTo("HIS-APP");
        assertThat(get(t, "/MSH-5-2")).isEqualTo("1.2.9");
        assertThat(get(t, "/MSH-6-1")).isEqualTo("HOSP_A");
        assertThat(get(t, "/MSH-6-2")).isEqualTo("1.2.3.4");
        assertThat(get(t, "/MSH-6-3")).isEqualTo("ISO");
        assertThat(get(t, "/MSH-7")).isEqualTo("20260322153001.123+0100");
        assertThat(get(t, "/MSH-9-1")).isEqualTo("ACK");
        assertThat(get(t, "/MSH-9-2")).isEqualTo("A08");
        assertThat(get(t, "/MSH-9-3")).isEqualTo("ACK");
        assertThat(get(t, "/MSH-10")).isEqualTo("ACK-7");
        assertThat(get(t, "/MSH-11")).isEqualTo("P");
        assertThat(get(t, "/MSH-12")).isEqualTo("2.4");
        assertThat(get(t, "/MSA-1")).isEqualTo("AA");
        assertThat(get(t, "/MSA-2")).isEqualTo("CTRL-42");
        assertThat(get(t, "/MSA-3")).isEmpty();
        assertThat(ack).doesNotContain("ERR").endsWith("\r").doesNotContain("\n");
    }

    @Test
    void aeCarriesErrInTheV25LayoutAndErr1ForOlderReceivers() {
        String ack = AckBuilder.ack(InboundMessage.parse(INBOUND), "AE", MISSING, "ACK-8", "20260322153001");
        Terser t = HapiJudge.parse(ack);

        assertThat(get(t, "/MSA-1")).isEqualTo("AE");
        assertThat(get(t, "/MSA-2")).isEqualTo("CTRL-42");
        assertThat(get(t, "/MSA-3")).isEqualTo("PID-3 has no SSIN");
        assertThat(get(t, "/ERR-1-1")).isEqualTo("PID");
        assertThat(get(t, "/ERR-1-2")).isEqualTo("1");
        assertThat(get(t, "/ERR-1-3")).isEqualTo("3");
        assertThat(get(t, "/ERR-1-4-1")).isEqualTo("101");
        assertThat(get(t, "/ERR-1-4-3")).isEqualTo("HL70357");
        assertThat(get(t, "/ERR-2-1")).isEqualTo("PID");
        assertThat(get(t, "/ERR-2-2")).isEqualTo("1");
        assertThat(get(t, "/ERR-2-3")).isEqualTo("3");
        assertThat(get(t, "/ERR-3-1")).isEqualTo("101");
        assertThat(get(t, "/ERR-3-2")).isEqualTo("Required field missing");
        assertThat(get(t, "/ERR-3-3")).isEqualTo("HL70357");
        assertThat(get(t, "/ERR-4")).isEqualTo("E");
        assertThat(get(t, "/ERR-8")).isEqualTo("PID-3 has no SSIN");
    }

    @Test
    void escapesTextsAndCutsThemTo80Characters() {
        String nasty = "a|b^c&d~e\\f\rg\nh";
        String ack = AckBuilder.ack(InboundMessage.parse(INBOUND), "AE", new Hl7Error("102", "OBX^2^5", nasty),
                "ACK|1", "20260101");
        Terser t = HapiJudge.parse(ack);
        assertThat(get(t, "/MSA-3")).isEqualTo("a|b^c&d~e\\f g h");
        assertThat(get(t, "/ERR-8")).isEqualTo("a|b^c&d~e\\f g h");
        assertThat(get(t, "/MSH-10")).isEqualTo("ACK|1");

        String longText = "x".repeat(200);
        Terser cut = HapiJudge.parse(AckBuilder.ack(InboundMessage.parse(INBOUND), "AR",
                new Hl7Error("207", "", longText), "A", "20260101"));
        assertThat(get(cut, "/MSA-3")).hasSize(80).endsWith("...");
        assertThat(get(cut, "/ERR-3-1")).isEqualTo("207");
    }

    @Test
    void usesTheInboundDelimiters() {
        InboundMessage m = InboundMessage.parse(msg(
                "MSH#!@%*#SENDER#FAC!1.2!ISO#RECV#RFAC#20260301120000##ADT!A01#MSG007#P#2.5",
                "PID#1##LOC!!!H!PI"));
        String ack = AckBuilder.ack(m, "AE", new Hl7Error("101", "PID^1^3", "no SSIN: see #3!"), "A1", "20260101");
        assertThat(ack).startsWith("MSH#!@%*#RECV#RFAC#SENDER#FAC!1.2!ISO#");
        Terser t = HapiJudge.parse(ack);
        assertThat(get(t, "/MSH-6-2")).isEqualTo("1.2");
        assertThat(get(t, "/MSA-2")).isEqualTo("MSG007");
        assertThat(get(t, "/ERR-2-3")).isEqualTo("3");
        assertThat(get(t, "/ERR-8")).isEqualTo("no SSIN: see #3!");
    }

    @Test
    void echoesATruncationCharacterHapiUnderstands() {
        InboundMessage m = InboundMessage.parse(msg("MSH|^~\\&#|HIS|HOSP_A|RB|RB|20260101||ADT^A01|C-1|P|2.5", PID));
        String ack = AckBuilder.ack(m, "AA", null, "A", "20260101");
        assertThat(ack).startsWith("MSH|^~\\&#|");
        assertThat(get(HapiJudge.parse(ack), "/MSA-2")).isEqualTo("C-1");
    }

    @Test
    void echoesMsh18AndAnUnknownVersionBecomesTheDefault() {
        InboundMessage m = InboundMessage.parse(msg("MSH|^~\\&|HIS|HOSP_A|RB|RB|20260101||ADT^A01|C-1|P|1.0|||||BE|8859/1",
                PID));
        String ack = AckBuilder.ack(m, "AR", new Hl7Error("203", "MSH^1^12", "Unsupported"), "A", "20260101");
        Terser t = HapiJudge.parse(ack);
        assertThat(get(t, "/MSH-12")).isEqualTo(AckBuilder.DEFAULT_VERSION);
        assertThat(get(t, "/MSH-18")).isEqualTo("8859/1");
    }

    @Test
    void keepsARawControlIdByteForByte() {
        InboundMessage m = InboundMessage.parse(msg("MSH|^~\\&|HIS|HOSP_A|RB|RB|20260101||ADT^A01|C\\T\\1|P|2.5", PID));
        String ack = AckBuilder.ack(m, "AA", null, "A", "20260101");
        assertThat(ack).contains("\rMSA|AA|C\\T\\1\r");
        assertThat(get(HapiJudge.parse(ack), "/MSA-2")).isEqualTo("C&1");
    }

    @Test
    void missingEnvelopeValuesGetDefaultsSoTheAckStaysValid() {
        InboundMessage m = InboundMessage.parse("MSH|^~\\&\r");
        String ack = AckBuilder.ack(m, "AR", new Hl7Error("101", "MSH^1^4", "MSH-4 required"), "A", "20260101");
        Terser t = HapiJudge.parse(ack);
        assertThat(get(t, "/MSH-9-1")).isEqualTo("ACK");
        assertThat(get(t, "/MSH-11")).isEqualTo("P");
        assertThat(get(t, "/MSH-12")).isEqualTo("2.5");
        assertThat(get(t, "/MSA-1")).isEqualTo("AR");
    }

    @Test
    void garbageGetsAMinimalAr() {
        String ack = AckBuilder.ackForGarbage("A-1", "20260101");
        Terser t = HapiJudge.parse(ack);
        assertThat(get(t, "/MSH-9-1")).isEqualTo("ACK");
        assertThat(get(t, "/MSH-10")).isEqualTo("A-1");
        assertThat(get(t, "/MSA-1")).isEqualTo("AR");
        assertThat(get(t, "/MSA-2")).isEmpty();
        assertThat(get(t, "/ERR-3-1")).isEqualTo("100");
        assertThat(get(t, "/ERR-2-1")).isEqualTo("MSH");
        assertThat(AckBuilder.ack(InboundMessage.parse("hello"), "AR", null, "A-1", "20260101")).isEqualTo(ack);
    }

    private static IngestDecision decision(IngestDecision.Outcome outcome) {
        return switch (outcome) {
            case ACCEPT -> IngestDecision.accept(null);
            case ERROR -> IngestDecision.error("101", "PID^1^3", "no SSIN");
            case REJECT -> IngestDecision.reject("200", "MSH^1^9^1^1", "unsupported");
            case UNAVAILABLE -> IngestDecision.unavailable("queue down");
            case IGNORE -> IngestDecision.ignore("");
        };
    }

    private static InboundMessage enhanced(String msh15, String msh16) {
        return InboundMessage.parse(msg("MSH|^~\\&|HIS|HOSP_A|RB|RB|20260101||ADT^A01|C-5|P|2.5|||"
                + msh15 + "|" + (msh16 == null ? "" : msh16), PID));
    }

    @ParameterizedTest(name = "MSH-15={0} MSH-16={1}, {2} -> {3}")
    @CsvSource({
            "AL, NE, ACCEPT, CA", "AL, NE, ERROR, CE", "AL, NE, REJECT, CR", "AL, NE, UNAVAILABLE, CE",
            "AL, AL, ACCEPT, CA", "AL, , ERROR, CE", "ER, NE, ACCEPT, CA", "SU, NE, REJECT, CR", "XX, NE, ACCEPT, CA",
            // no commit ACK wanted: the application code, always (an unrequested ACK costs less than a hang)
            "NE, NE, ACCEPT, AA", "NE, , ERROR, AE", "NE, AL, REJECT, AR", "NE, AL, UNAVAILABLE, AE"})
    void enhancedModeAnswersWithACommitAck(String msh15, String msh16, IngestDecision.Outcome outcome,
                                           String expected) {
        InboundMessage m = enhanced(msh15, msh16);
        assertThat(AckBuilder.mode(m)).isEqualTo(AckBuilder.Mode.ENHANCED);
        Terser t = HapiJudge.parse(AckBuilder.ackFor(m, decision(outcome), "A", "20260101").orElseThrow());
        assertThat(get(t, "/MSA-1")).isEqualTo(expected);
        assertThat(get(t, "/MSA-2")).isEqualTo("C-5");
    }

    @ParameterizedTest(name = "MSH-15={0} MSH-16={1}, {2} -> {3}")
    @CsvSource({
            "AL, NE, ACCEPT, CA", "AL, NE, ERROR, CE", "XX, NE, ACCEPT, CA",
            "ER, NE, ACCEPT, -", "ER, NE, ERROR, CE", "ER, NE, REJECT, CR",
            "SU, NE, ACCEPT, CA", "SU, NE, ERROR, -", "SU, NE, REJECT, -",
            "NE, NE, ACCEPT, -", "NE, , ERROR, -",
            "NE, AL, ACCEPT, AA", "NE, AL, ERROR, AE", "NE, AL, REJECT, AR", "NE, AL, UNAVAILABLE, AE",
            "NE, ER, ACCEPT, -", "NE, ER, ERROR, AE", "NE, SU, ACCEPT, AA", "NE, SU, REJECT, -"})
    void table0155ConditionsAreAppliedOnRequest(String msh15, String msh16, IngestDecision.Outcome outcome,
                                               String expected) {
        assertThat(AckBuilder.ackCode(enhanced(msh15, msh16), decision(outcome), true))
                .isEqualTo("-".equals(expected) ? java.util.Optional.empty() : java.util.Optional.of(expected));
    }

    @Test
    void msh16AloneKeepsOriginalMode() {
        InboundMessage m = InboundMessage.parse(msg("MSH|^~\\&|HIS|HOSP_A|RB|RB|20260101||ADT^A01|C-5|P|2.5||||AL",
                PID));
        assertThat(AckBuilder.mode(m)).isEqualTo(AckBuilder.Mode.ORIGINAL);
        assertThat(AckBuilder.ackFor(m, IngestDecision.accept(null), "A", "20260101").orElseThrow())
                .contains("\rMSA|AA|C-5\r");
    }

    @Test
    void rejectsAnUnknownAckCode() {
        assertThatThrownBy(() -> AckBuilder.ack(InboundMessage.parse(INBOUND), "OK", null, "A", "1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsTheTimestampAsAnHl7Dtm() {
        ZonedDateTime t = ZonedDateTime.of(2026, 3, 22, 15, 30, 1, 123_000_000, ZoneId.of("Europe/Brussels"));
        assertThat(AckBuilder.timestamp(t)).isEqualTo("20260322153001.123+0100");
    }
}
