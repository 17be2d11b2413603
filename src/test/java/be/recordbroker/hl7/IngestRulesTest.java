package be.recordbroker.hl7;

import static be.recordbroker.hl7.Fixtures.FACILITY;
import static be.recordbroker.hl7.Fixtures.PID;
import static be.recordbroker.hl7.Fixtures.SSIN;
import static be.recordbroker.hl7.Fixtures.SSIN_2000;
import static be.recordbroker.hl7.Fixtures.SSIN_BAD;
import static be.recordbroker.hl7.Fixtures.SSIN_OTHER;
import static be.recordbroker.hl7.Fixtures.msg;
import static be.recordbroker.hl7.Fixtures.msh;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import be.recordbroker.domain.Ssin;
import be.recordbroker.hl7.IngestDecision.Outcome;

/** Every rule with its decision, its ACK code and its ERR-3 code, the ACK read back by HAPI. */
class IngestRulesTest {

    private static final Predicate<String> KNOWN = FACILITY::equals;
    private final IngestRules rules = new IngestRules(IngestRules.Config.defaults());

    private IngestDecision check(String er7) {
        return rules.check(InboundMessage.parse(er7), KNOWN);
    }

    static Stream<Arguments> cases() {
        String txaNo12 = "TXA|1|CR|AP|20260322150000||20260322153000|||||||||doc.pdf|AU||AV";
        return Stream.of(
                // accepted
                Arguments.of("ADT^A01", Fixtures.adt("A01"), Outcome.ACCEPT, null, null),
                Arguments.of("ADT^A04", Fixtures.adt("A04"), Outcome.ACCEPT, null, null),
                Arguments.of("ADT^A08", Fixtures.adt("A08"), Outcome.ACCEPT, null, null),
                Arguments.of("ADT^A28", Fixtures.adt("A28"), Outcome.ACCEPT, null, null),
                Arguments.of("ADT^A31", Fixtures.adt("A31"), Outcome.ACCEPT, null, null),
                Arguments.of("ADT^A40", Fixtures.a40(), Outcome.ACCEPT, null, null),
                Arguments.of("ORU^R01", Fixtures.oru(), Outcome.ACCEPT, null, null),
                Arguments.of("MDM^T01", Fixtures.mdmNotification("T01"), Outcome.ACCEPT, null, null),
                Arguments.of("MDM^T02", Fixtures.mdm("T02"), Outcome.ACCEPT, null, null),
                Arguments.of("MDM^T10", Fixtures.mdm("T10"), Outcome.ACCEPT, null, null),
                Arguments.of("MDM^T11", Fixtures.mdmNotification("T11"), Outcome.ACCEPT, null, null),
                Arguments.of("version 2.3", msg(msh("ADT^A01", "C", "P", "2.3"), PID), Outcome.ACCEPT, null, null),
                Arguments.of("version 2.3.1", msg(msh("ADT^A01", "C", "P", "2.3.1"), PID), Outcome.ACCEPT, null, null),
                Arguments.of("version 2.4", msg(msh("ADT^A01", "C", "P", "2.4"), PID), Outcome.ACCEPT, null, null),
                Arguments.of("version 2.5.1", msg(msh("ADT^A01", "C", "P", "2.5.1"), PID), Outcome.ACCEPT, null, null),
                Arguments.of("version 2.6", msg(msh("ADT^A01", "C", "P", "2.6"), PID), Outcome.ACCEPT, null, null),
                Arguments.of("version 2.5^BEL", msg(msh("ADT^A01", "C", "P", "2.5^BEL"), PID), Outcome.ACCEPT, null, null),
                // envelope: AR
                Arguments.of("not HL7", "hello", Outcome.REJECT, "100", "MSH^1"),
                Arguments.of("MSH-4 missing", msg("MSH|^~\\&|HIS||RB|RB|20260101||ADT^A01|C|P|2.5", PID),
                        Outcome.REJECT, "101", "MSH^1^4"),
                Arguments.of("MSH-9 missing", msg(msh("", "C", "P", "2.5"), PID), Outcome.REJECT, "101", "MSH^1^9^1^1"),
                Arguments.of("MSH-9.2 missing", msg(msh("ADT", "C", "P", "2.5"), PID), Outcome.REJECT, "101", "MSH^1^9^1^2"),
                Arguments.of("MSH-10 missing", msg(msh("ADT^A01", "", "P", "2.5"), PID), Outcome.REJECT, "101", "MSH^1^10"),
                Arguments.of("MSH-11 missing", msg(msh("ADT^A01", "C", "", "2.5"), PID), Outcome.REJECT, "101", "MSH^1^11"),
                Arguments.of("MSH-12 missing", msg(msh("ADT^A01", "C", "P", ""), PID), Outcome.REJECT, "101", "MSH^1^12"),
                Arguments.of("version 2.7", msg(msh("ADT^A01", "C", "P", "2.7"), PID), Outcome.REJECT, "203", "MSH^1^12"),
                Arguments.of("version 2.2", msg(msh("ADT^A01", "C", "P", "2.2"), PID), Outcome.REJECT, "203", "MSH^1^12"),
                Arguments.of("processing T", msg(msh("ADT^A01", "C", "T", "2.5"), PID), Outcome.REJECT, "202", "MSH^1^11"),
                Arguments.of("processing D", msg(msh("ADT^A01", "C", "D", "2.5"), PID), Outcome.REJECT, "202", "MSH^1^11"),
                Arguments.of("unknown type SIU", msg(msh("SIU^S12"), PID), Outcome.REJECT, "200", "MSH^1^9^1^1"),
                Arguments.of("unknown trigger A02", msg(msh("ADT^A02"), PID), Outcome.REJECT, "201", "MSH^1^9^1^2"),
                Arguments.of("unknown trigger T03", msg(msh("MDM^T03"), PID), Outcome.REJECT, "201", "MSH^1^9^1^2"),
                Arguments.of("two messages", Fixtures.adt("A01") + Fixtures.adt("A08"), Outcome.REJECT, "100", "MSH^2"),
                // content: AE
                Arguments.of("unknown facility", msg("MSH|^~\\&|HIS|HOSP_Z|RB|RB|20260101||ADT^A01|C|P|2.5", PID),
                        Outcome.ERROR, "103", "MSH^1^4"),
                Arguments.of("no PID", msg(msh("ADT^A01"), "EVN|A01"), Outcome.ERROR, "100", "PID^1"),
                Arguments.of("no SSIN", msg(msh("ADT^A01"), "PID|1||LOC-1^^^HOSP_A^PI"), Outcome.ERROR, "101", "PID^1^3"),
                Arguments.of("empty PID-3", msg(msh("ADT^A01"), "PID|1||"), Outcome.ERROR, "101", "PID^1^3"),
                Arguments.of("NN without id", msg(msh("ADT^A01"), "PID|1||LOC^^^H^PI~^^^BE-NN^NN"),
                        Outcome.ERROR, "101", "PID^1^3^2^1"),
                Arguments.of("invalid SSIN", msg(msh("ADT^A01"), "PID|1||" + SSIN_BAD + "^^^BE-NN^NN"),
                        Outcome.ERROR, "102", "PID^1^3^1^1"),
                Arguments.of("SSIN not digits", msg(msh("ADT^A01"), "PID|1||ABC^^^BE-NN^NN"),
                        Outcome.ERROR, "102", "PID^1^3^1^1"),
                Arguments.of("two SSINs", msg(msh("ADT^A01"), "PID|1||" + SSIN + "^^^BE-NN^NN~" + SSIN_OTHER + "^^^BE-NN^NN"),
                        Outcome.ERROR, "102", "PID^1^3^2^1"),
                Arguments.of("MDM without TXA", msg(msh("MDM^T02"), PID, "OBX|1|TX|x||text"), Outcome.ERROR, "100", "TXA^1"),
                Arguments.of("MDM^T02 without TXA-12", msg(msh("MDM^T02"), PID, txaNo12, "OBX|1|TX|x||text"),
                        Outcome.ERROR, "101", "TXA^1^12"),
                Arguments.of("MDM^T01 without TXA-12", msg(msh("MDM^T01"), PID, txaNo12), Outcome.ERROR, "101", "TXA^1^12"),
                Arguments.of("MDM^T10 without TXA-13", msg(msh("MDM^T10"), PID, Fixtures.txa("T10", "DOC-2", ""),
                        "OBX|1|TX|x||text"), Outcome.ERROR, "101", "TXA^1^13"),
                Arguments.of("MDM^T02 without OBX", msg(msh("MDM^T02"), PID, Fixtures.txa("T02", "DOC-2", "")),
                        Outcome.ERROR, "100", "OBX^1"),
                Arguments.of("ORU without OBR", msg(msh("ORU^R01"), PID, "OBX|1|NM|x||1"), Outcome.ERROR, "100", "OBR^1"),
                Arguments.of("ORU without OBR-4", msg(msh("ORU^R01"), PID, "OBR|1||F-1||", "OBX|1|NM|x||1"),
                        Outcome.ERROR, "101", "OBR^1^4"),
                // identifiers the ledger holds: 199 characters at most (refused here, not at the ledger after the hub)
                Arguments.of("MSH-10 of 199", msg(msh("ADT^A01", "C".repeat(199), "P", "2.5"), PID),
                        Outcome.ACCEPT, null, null),
                Arguments.of("MSH-10 of 200", msg(msh("ADT^A01", "C".repeat(200), "P", "2.5"), PID),
                        Outcome.REJECT, "102", "MSH^1^10"),
                Arguments.of("TXA-12 of 200", msg(msh("MDM^T02"), PID, Fixtures.txa("T02", "D".repeat(200), ""),
                        "OBX|1|TX|x||text"), Outcome.ERROR, "102", "TXA^1^12"),
                Arguments.of("TXA-13 of 200", msg(msh("MDM^T10"), PID, Fixtures.txa("T10", "DOC-2", "P".repeat(200)),
                        "OBX|1|TX|x||text"), Outcome.ERROR, "102", "TXA^1^13"),
                Arguments.of("TXA-13 of 200 on a T02 (not read)", msg(msh("MDM^T02"), PID,
                        Fixtures.txa("T02", "DOC-2", "P".repeat(200)), "OBX|1|TX|x||text"), Outcome.ACCEPT, null, null),
                Arguments.of("OBR-3 of 200", msg(msh("ORU^R01"), PID, "OBR|1||" + "F".repeat(200) + "|LAB^Lab^L",
                        "OBX|1|NM|x||1"), Outcome.ERROR, "102", "OBR^1^3"),
                Arguments.of("OBR-2 of 200 without OBR-3", msg(msh("ORU^R01"), PID, "OBR|1|" + "P".repeat(200)
                        + "||LAB^Lab^L", "OBX|1|NM|x||1"), Outcome.ERROR, "102", "OBR^1^2"),
                Arguments.of("OBR-2 of 200 beside OBR-3", msg(msh("ORU^R01"), PID, "OBR|1|" + "P".repeat(200)
                        + "|F-1|LAB^Lab^L", "OBX|1|NM|x||1"), Outcome.ACCEPT, null, null),
                Arguments.of("A40 without MRG", msg(msh("ADT^A40"), PID), Outcome.ERROR, "100", "MRG^1"),
                Arguments.of("A40 without MRG-1", msg(msh("ADT^A40"), PID, "MRG|"), Outcome.ERROR, "101", "MRG^1^1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesAndAcknowledges(String name, String er7, Outcome outcome, String err3, String location) {
        InboundMessage m = InboundMessage.parse(er7);
        IngestDecision d = rules.check(m, KNOWN);

        assertThat(d.outcome()).isEqualTo(outcome);
        String expectedAck = switch (outcome) {
            case ACCEPT -> "AA";
            case ERROR -> "AE";
            default -> "AR";
        };
        String ack = AckBuilder.ackFor(m, d, "ACK-1", "20260322153001").orElseThrow();
        Terser t = HapiJudge.parse(ack);
        assertThat(HapiJudge.get(t, "/MSA-1")).isEqualTo(expectedAck);
        assertThat(HapiJudge.get(t, "/MSA-2")).isEqualTo(m.controlId());
        if (err3 == null) {
            assertThat(d.error()).isNull();
            assertThat(ack).doesNotContain("\rERR");
        } else {
            assertThat(d.error().code()).isEqualTo(err3);
            assertThat(d.error().location()).isEqualTo(location);
            assertThat(HapiJudge.get(t, "/ERR-3-1")).isEqualTo(err3);
            assertThat(HapiJudge.get(t, "/ERR-3-3")).isEqualTo("HL70357");
            assertThat(HapiJudge.get(t, "/ERR-4")).isEqualTo("E");
            String shown = d.error().text().length() <= 80 ? d.error().text()
                    : d.error().text().substring(0, 77) + "..."; // MSA-3 is an ST of 80 at most
            assertThat(HapiJudge.get(t, "/ERR-8")).isEqualTo(shown).isNotBlank();
            assertThat(HapiJudge.get(t, "/MSA-3")).isEqualTo(shown);
            assertThat(HapiJudge.get(t, "/ERR-2-1")).isEqualTo(location.split("\\^")[0]);
        }
    }

    @Test
    void acceptCarriesTheSsin() {
        IngestDecision d = check(Fixtures.adt("A01"));
        assertThat(d.accepted()).isTrue();
        assertThat(d.ssin()).isEqualTo(Ssin.parse(SSIN));
    }

    @Test
    void acceptsAnSsinOfSomeoneBornIn2000OrLater() {
        IngestDecision d = check(msg(msh("ADT^A01"), "PID|1||" + SSIN_2000 + "^^^BE-NN^NN"));
        assertThat(d.ssin().value()).isEqualTo(SSIN_2000);
    }

    @Test
    void checksOnlyTheNnRepetition() {
        // the first repetition is a local id that would fail as an SSIN: it is not one, so it is not checked
        IngestDecision d = check(msg(msh("ADT^A01"),
                "PID|1||" + SSIN_BAD + "^^^HOSP_A^PI~" + SSIN_OTHER + "^^^BE-NN^NN~12345^^^HOSP_A^MR"));
        assertThat(d.accepted()).isTrue();
        assertThat(d.ssin().value()).isEqualTo(SSIN_OTHER);
    }

    @Test
    void findsTheSsinByAssigningAuthorityWhenConfigured() {
        String pid = "PID|1||" + SSIN_OTHER + "^^^NISS&1.3.6.1.4.1.21297.100.1.1&ISO^PI";
        assertThat(check(msg(msh("ADT^A01"), pid)).outcome()).isEqualTo(Outcome.ERROR);

        IngestRules byName = new IngestRules(IngestRules.Config.defaults().withSsinAssigningAuthority("NISS"));
        IngestRules byOid = new IngestRules(
                IngestRules.Config.defaults().withSsinAssigningAuthority("1.3.6.1.4.1.21297.100.1.1"));
        assertThat(byName.check(InboundMessage.parse(msg(msh("ADT^A01"), pid)), KNOWN).ssin().value())
                .isEqualTo(SSIN_OTHER);
        assertThat(byOid.check(InboundMessage.parse(msg(msh("ADT^A01"), pid)), KNOWN).ssin().value())
                .isEqualTo(SSIN_OTHER);
        IngestDecision bad = byName.check(InboundMessage.parse(msg(msh("ADT^A01"),
                "PID|1||" + SSIN_BAD + "^^^NISS^PI")), KNOWN);
        assertThat(bad.error().code()).isEqualTo("102");
    }

    @Test
    void neverEchoesTheSsinInTheErrorNorTheAck() {
        InboundMessage m = InboundMessage.parse(msg(msh("ADT^A01"), "PID|1||" + SSIN_BAD + "^^^BE-NN^NN"));
        IngestDecision d = rules.check(m, KNOWN);
        String ack = AckBuilder.ackFor(m, d, "A", "20260101").orElseThrow();
        assertThat(d.error().text()).doesNotContain(SSIN_BAD).doesNotContain("850730");
        assertThat(ack).doesNotContain(SSIN_BAD).doesNotContain("850730");
        assertThat(d.toString()).doesNotContain(SSIN_BAD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"T", "D"})
    void trainingAndDebugFeedsAreAConfigurationChoice(String processingId) {
        IngestRules lenient = new IngestRules(IngestRules.Config.defaults().withProcessingIds("P", "T", "D"));
        String er7 = msg(msh("ADT^A01", "C", processingId, "2.5"), PID);
        assertThat(lenient.check(InboundMessage.parse(er7), KNOWN).accepted()).isTrue();
        assertThat(check(er7).error().code()).isEqualTo("202");
    }

    @Test
    void messageTypesAndVersionsAreConfigurable() {
        IngestRules narrow = new IngestRules(new IngestRules.Config(Set.of("2.5"), Set.of("adt^a01"), Set.of("p"), null));
        assertThat(narrow.check(InboundMessage.parse(Fixtures.adt("A01")), KNOWN).accepted()).isTrue();
        assertThat(narrow.check(InboundMessage.parse(Fixtures.adt("A08")), KNOWN).error().code()).isEqualTo("201");
        assertThat(narrow.check(InboundMessage.parse(Fixtures.oru()), KNOWN).error().code()).isEqualTo("200");
        assertThat(narrow.check(InboundMessage.parse(msg(msh("ADT^A01", "C", "P", "2.4"), PID)), KNOWN)
                .error().code()).isEqualTo("203");
    }

    @Test
    void anInboundAckIsIgnored() {
        InboundMessage m = InboundMessage.parse(msg("MSH|^~\\&|HIS|HOSP_A|RB|RB|20260101||ACK^A01^ACK|X-9|P|2.5",
                "MSA|AA|CTRL-1"));
        IngestDecision d = rules.check(m, KNOWN);
        assertThat(d.outcome()).isEqualTo(Outcome.IGNORE);
        assertThat(d.reason()).contains("X-9");
        assertThat(AckBuilder.ackFor(m, d, "A", "20260101")).isEmpty();
        // even a bare "ACK" or one from an unknown facility, with missing fields: still no answer
        InboundMessage bare = InboundMessage.parse("MSH|^~\\&|||||||ACK\rMSA|AE|\r");
        assertThat(rules.check(bare, KNOWN).outcome()).isEqualTo(Outcome.IGNORE);
    }

    @Test
    void aFailingFacilityDirectoryIsOurFaultNotTheMessages() {
        IngestDecision d = rules.check(InboundMessage.parse(Fixtures.adt("A01")), f -> {
            throw new IllegalStateException("directory down");
        });
        assertThat(d.outcome()).isEqualTo(Outcome.UNAVAILABLE);
        assertThat(d.error().code()).isEqualTo("207");
        assertThat(d.ackCode(false)).isEqualTo("AE");
        assertThat(d.ackCode(true)).isEqualTo("CE");
    }

    @Test
    void theFacilityPredicateSeesMsh4NamespaceId() {
        StringBuilder seen = new StringBuilder();
        rules.check(InboundMessage.parse(Fixtures.adt("A01")), f -> seen.append(f).length() > 0);
        assertThat(seen.toString()).isEqualTo(FACILITY);
    }
}
