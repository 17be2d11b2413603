package be.recordbroker.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;

/**
 * Every access case of the gate (the rules in docs/access-and-audit.md and docs/domain.md), each with its reason code,
 * against the shipped access matrix.
 */
class AccessGateTest {

    static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final LocalDate TODAY = LocalDate.ofInstant(NOW, BRUSSELS);

    static final String PATIENT = "85073003328";
    static final String OTHER_PATIENT = "17073003384";
    static final Professional GP = professional("12345625004", "persphysician", "An Verstraeten");
    static final Professional NURSE = professional("41122357403", "persnurse", "Koen Baert");
    static final Professional DENTIST = professional("33344541001", "persdentist", "Pieter Coppens");
    static final Professional PHYSIO = professional("54455602000", "persphysiotherapist", "Ines Rahmani");
    static final Professional HIMSELF = new Professional(null, Ssin.parse(PATIENT), "patient", "the patient");

    static final DocumentRef SUMEHR = new DocumentRef("rsb", "RSBID", "DOC-1", "sumehr", "id-1");
    static final DocumentRef BIRTH = new DocumentRef("rsb", "RSBID", "DOC-2", "ebirth-mother-medicalform", "id-2");
    static final DocumentRef LAB = new DocumentRef("rsb", "RSBID", "DOC-3", "labresult", "id-3");

    FakeFacts facts;
    AccessGate gate;

    @BeforeEach
    void setUp() throws IOException {
        facts = new FakeFacts().consent(PATIENT, new ConsentFact(LocalDate.of(2024, 3, 1), null));
        gate = gate(facts);
    }

    static AccessGate gate(AccessFacts facts) throws IOException {
        AccessMatrix matrix;
        try (Reader csv = Files.newBufferedReader(Path.of("config/access-matrix.csv"))) {
            matrix = AccessMatrix.parse(csv, "config/access-matrix.csv");
        }
        LinkPolicy links = new LinkPolicy(Map.of(
                "gpconsultation", new LinkPolicy.LinkType(Period.ofMonths(15), Set.of("persphysician")),
                "consultation", new LinkPolicy.LinkType(Period.ofMonths(3),
                        Set.of("persphysician", "persnurse", "persdentist", "persphysiotherapist")),
                "emergency", new LinkPolicy.LinkType(Period.ofMonths(1), Set.of("persphysician", "persnurse")),
                "pharmacy", new LinkPolicy.LinkType(Period.ofMonths(15), Set.of("perspharmacist"))));
        return new AccessGate(facts, matrix, links, new BreakTheGlassPolicy(Set.of("persphysician"), 10, 200), BRUSSELS);
    }

    static Professional professional(String nihii, String profession, String name) {
        return new Professional(Nihii.parse(nihii, NihiiValidation.LENIENT), null, profession, name);
    }

    static AccessRequest read(Professional who, DocumentRef document, String btg) {
        return new AccessRequest(who, PATIENT, AccessAction.READ, document, null, btg, "rest", "req-1", NOW);
    }

    static AccessRequest search(Professional who, String btg) {
        return new AccessRequest(who, PATIENT, AccessAction.SEARCH, null, "scope=global", btg, "rest", "req-1", NOW);
    }

    void gpLink(LocalDate start) {
        facts.link(PATIENT, GP.nihii().value(), new TherapeuticLinkFact("gpconsultation", start, null));
    }

    AccessReason reason(AccessRequest request) {
        return gate.decide(request).reason();
    }

    @Test
    void anActiveLinkAllowsReadAndSearch() {
        gpLink(TODAY.minusMonths(2));
        AccessDecision decision = gate.decide(read(GP, SUMEHR, null));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.reason()).isEqualTo(AccessReason.THERAPEUTIC_LINK);
        assertThat(decision.breakTheGlass()).isNull();
        assertThat(reason(search(GP, null))).isEqualTo(AccessReason.THERAPEUTIC_LINK);
    }

    @Test
    void noConsentIsDenied() {
        facts.consents.clear();
        gpLink(TODAY.minusMonths(2));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_CONSENT);
    }

    @Test
    void aRevokedConsentIsDeniedFromItsRevokeDay() {
        gpLink(TODAY.minusMonths(2));
        facts.consent(PATIENT, new ConsentFact(LocalDate.of(2024, 3, 1), TODAY.minusDays(1)));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_CONSENT);
        facts.consent(PATIENT, new ConsentFact(LocalDate.of(2024, 3, 1), TODAY));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_CONSENT);
        facts.consent(PATIENT, new ConsentFact(LocalDate.of(2024, 3, 1), TODAY.plusDays(1)));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.THERAPEUTIC_LINK);
    }

    @Test
    void aConsentSignedAfterTodayDoesNotHoldYet() {
        gpLink(TODAY.minusMonths(2));
        facts.consent(PATIENT, new ConsentFact(TODAY.plusDays(1), null));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_CONSENT);
    }

    @Test
    void consentWithoutALinkIsDenied() {
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_THERAPEUTIC_LINK);
        assertThat(reason(search(GP, null))).isEqualTo(AccessReason.NO_THERAPEUTIC_LINK);
    }

    @Test
    void aGpLinkLastsFifteenMonthsAndNotOneDayMore() {
        gpLink(TODAY.minusMonths(15));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.THERAPEUTIC_LINK);
        facts.links.clear();
        gpLink(TODAY.minusMonths(15).minusDays(1));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_THERAPEUTIC_LINK);
    }

    @Test
    void anOccasionalContactLinkLastsThreeMonths() {
        facts.link(PATIENT, GP.nihii().value(), new TherapeuticLinkFact("consultation", TODAY.minusMonths(3), null));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.THERAPEUTIC_LINK);
        facts.links.clear();
        facts.link(PATIENT, GP.nihii().value(),
                new TherapeuticLinkFact("consultation", TODAY.minusMonths(3).minusDays(1), null));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_THERAPEUTIC_LINK);
    }

    @Test
    void anEmergencyLinkLastsOneMonth() {
        facts.link(PATIENT, GP.nihii().value(), new TherapeuticLinkFact("emergency", TODAY.minusMonths(1), null));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.THERAPEUTIC_LINK);
        facts.links.clear();
        facts.link(PATIENT, GP.nihii().value(),
                new TherapeuticLinkFact("emergency", TODAY.minusMonths(1).minusDays(1), null));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_THERAPEUTIC_LINK);
    }

    @Test
    void aLinkEndedByTheHubOrNotStartedYetDoesNotCount() {
        facts.link(PATIENT, GP.nihii().value(),
                new TherapeuticLinkFact("gpconsultation", TODAY.minusMonths(2), TODAY.minusDays(1)));
        facts.link(PATIENT, GP.nihii().value(), new TherapeuticLinkFact("gpconsultation", TODAY.plusDays(1), null));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_THERAPEUTIC_LINK);
    }

    @Test
    void aLinkOfATypeThatDoesNotServeTheProfessionDoesNotCount() {
        facts.link(PATIENT, GP.nihii().value(), new TherapeuticLinkFact("pharmacy", TODAY.minusMonths(1), null));
        facts.link(PATIENT, GP.nihii().value(), new TherapeuticLinkFact("unknown-type", TODAY.minusMonths(1), null));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_THERAPEUTIC_LINK);
    }

    @Test
    void anExcludedProfessionalIsDeniedEvenWithALinkOrAValidBreakTheGlass() {
        facts.exclude(PATIENT, GP.nihii().value());
        assertThat(reason(read(GP, SUMEHR, "Unconscious patient at the emergency department"))).isEqualTo(AccessReason.EXCLUDED);
        gpLink(TODAY.minusMonths(1));
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.EXCLUDED);
    }

    @Test
    void consentIsCheckedBeforeExclusion() {
        facts.consents.clear();
        facts.exclude(PATIENT, GP.nihii().value());
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.NO_CONSENT);
    }

    @Test
    void breakTheGlassNeedsTenToTwoHundredCharacters() {
        assertThat(reason(read(GP, SUMEHR, "too short"))).isEqualTo(AccessReason.BTG_REASON_INVALID);
        assertThat(reason(read(GP, SUMEHR, "   short    "))).isEqualTo(AccessReason.BTG_REASON_INVALID);
        assertThat(reason(read(GP, SUMEHR, "x".repeat(201)))).isEqualTo(AccessReason.BTG_REASON_INVALID);
        assertThat(reason(read(GP, SUMEHR, "ten chars!"))).isEqualTo(AccessReason.BREAK_THE_GLASS);
        assertThat(reason(read(GP, SUMEHR, "x".repeat(200)))).isEqualTo(AccessReason.BREAK_THE_GLASS);
    }

    @Test
    void aValidBreakTheGlassIsAllowedAndAuditedWithItsReason() {
        List<AccessDecision> audited = new ArrayList<>();
        List<AccessRequest> requests = new ArrayList<>();
        AuditedAccessGate audit = new AuditedAccessGate(gate, (r, d) -> {
            requests.add(r);
            audited.add(d);
        });
        AccessDecision decision = audit.decide(read(GP, SUMEHR, "  Unconscious patient at the emergency department "));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.reason()).isEqualTo(AccessReason.BREAK_THE_GLASS);
        assertThat(decision.breakTheGlass()).isEqualTo("Unconscious patient at the emergency department");
        assertThat(audited).containsExactly(decision);
        assertThat(requests.get(0).document()).isEqualTo(SUMEHR);
    }

    @Test
    void breakTheGlassIsForPhysiciansOnlyByDefault() {
        assertThat(reason(read(NURSE, SUMEHR, "Patient collapsed during home visit"))).isEqualTo(AccessReason.BTG_NOT_ALLOWED);
    }

    @Test
    void theMatrixSeparatesListFromRead() {
        facts.link(PATIENT, DENTIST.nihii().value(), new TherapeuticLinkFact("consultation", TODAY.minusDays(3), null));
        facts.link(PATIENT, PHYSIO.nihii().value(), new TherapeuticLinkFact("consultation", TODAY.minusDays(3), null));
        // dentist x childbirth report: filtered from lists, not readable
        assertThat(reason(read(DENTIST, BIRTH, null))).isEqualTo(AccessReason.MATRIX_DENIED);
        assertThat(gate.listable(DENTIST, BIRTH)).isFalse();
        // physiotherapist x SUMEHR: a partial view, listed but not opened
        assertThat(gate.listable(PHYSIO, SUMEHR)).isTrue();
        assertThat(reason(read(PHYSIO, SUMEHR, null))).isEqualTo(AccessReason.MATRIX_DENIED);
        assertThat(gate.listable(PHYSIO, LAB)).isFalse();
        // a physician reads both
        gpLink(TODAY.minusDays(3));
        assertThat(reason(read(GP, BIRTH, null))).isEqualTo(AccessReason.THERAPEUTIC_LINK);
        assertThat(gate.listable(GP, BIRTH)).isTrue();
    }

    @Test
    void aDisallowHidesTheDocumentFromListAndFetch() {
        gpLink(TODAY.minusDays(3));
        facts.disallow(LAB, GP.nihii().value());
        assertThat(reason(read(GP, LAB, null))).isEqualTo(AccessReason.ACCESS_RIGHT_DENIED);
        assertThat(gate.listable(GP, LAB)).isFalse();
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.THERAPEUTIC_LINK);
        assertThat(gate.listable(GP, SUMEHR)).isTrue();
        // a disallow for somebody else does not hide it from this professional
        facts.disallow(SUMEHR, NURSE.nihii().value());
        assertThat(reason(read(GP, SUMEHR, null))).isEqualTo(AccessReason.THERAPEUTIC_LINK);
    }

    @Test
    void thePatientHimselfReadsHisDocumentsAndHisAuditTrail() {
        assertThat(reason(read(HIMSELF, BIRTH, null))).isEqualTo(AccessReason.PATIENT_HIMSELF);
        assertThat(gate.listable(HIMSELF, BIRTH)).isTrue();
        AccessRequest trail = new AccessRequest(HIMSELF, PATIENT, AccessAction.AUDIT_TRAIL, null, null, null, "rest",
                "req-2", NOW);
        assertThat(reason(trail)).isEqualTo(AccessReason.PATIENT_HIMSELF);
        // without consent: no sharing, not even to himself; his audit trail stays his
        facts.consents.clear();
        assertThat(reason(read(HIMSELF, SUMEHR, null))).isEqualTo(AccessReason.NO_CONSENT);
        assertThat(reason(trail)).isEqualTo(AccessReason.PATIENT_HIMSELF);
    }

    @Test
    void aCitizenCannotConsultSomebodyElse() {
        AccessRequest other = new AccessRequest(HIMSELF, OTHER_PATIENT, AccessAction.AUDIT_TRAIL, null, null, null,
                "rest", "req-3", NOW);
        assertThat(reason(other)).isEqualTo(AccessReason.NOT_THE_PATIENT);
    }

    @Test
    void noIdentityOrAnInvalidSsinIsRefusedBeforeAnyFactIsFetched() {
        assertThat(reason(read(null, SUMEHR, null))).isEqualTo(AccessReason.UNAUTHENTICATED);
        AccessRequest bad = new AccessRequest(GP, "85073003329", AccessAction.READ, SUMEHR, null, null, "rest", "r", NOW);
        assertThat(reason(bad)).isEqualTo(AccessReason.INVALID_SSIN);
        assertThat(facts.questions).hasValue(0);
    }

    @Test
    void aFactThatCannotBeFetchedDenies() {
        gpLink(TODAY.minusDays(3));
        facts.down = true;
        AccessDecision decision = gate.decide(read(GP, SUMEHR, null));
        assertThat(decision.reason()).isEqualTo(AccessReason.FACTS_UNAVAILABLE);
        assertThat(decision.detail()).contains("rsb");
    }

    @Test
    void anAllowedAccessWhoseAuditCannotBeWrittenIsDenied() {
        gpLink(TODAY.minusDays(3));
        AuditedAccessGate broken = new AuditedAccessGate(gate, (r, d) -> {
            throw new IllegalStateException("database down");
        });
        assertThat(broken.decide(read(GP, SUMEHR, null)).reason()).isEqualTo(AccessReason.AUDIT_UNAVAILABLE);
        facts.links.clear();
        assertThat(broken.decide(read(GP, SUMEHR, null)).reason()).isEqualTo(AccessReason.NO_THERAPEUTIC_LINK);
    }

    @Test
    void everyAnsweredDecisionIsCountedByActionAndTheReasonAnswered() {
        gpLink(TODAY.minusDays(3));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        AuditedAccessGate counted = new AuditedAccessGate(gate, (r, d) -> {
            if (down.get()) {
                throw new IllegalStateException("database down");
            }
        }, new AnonymousRefusals(meters), new AccessDecisionCounts(meters));
        counted.decide(read(GP, SUMEHR, null));
        down.set(true);
        counted.decide(read(GP, SUMEHR, null));
        counted.decide(read(DENTIST, SUMEHR, null));

        // the audit failure is counted as what was answered (AUDIT_UNAVAILABLE), not as what the gate decided
        assertThat(count(meters, "read", "THERAPEUTIC_LINK")).isEqualTo(1.0);
        assertThat(count(meters, "read", "AUDIT_UNAVAILABLE")).isEqualTo(1.0);
        assertThat(count(meters, "read", "NO_THERAPEUTIC_LINK")).isEqualTo(1.0);
        assertThat(meters.get("rb.access.decisions").tag("reason", "AUDIT_UNAVAILABLE").tag("action", "read")
                .counter().getId().getTag("outcome")).isEqualTo("denied");
        // bounded: one series per action and reason, made up front, whoever the patient
        assertThat(meters.find("rb.access.decisions").counters())
                .hasSize(AccessAction.values().length * AccessReason.values().length);
    }

    private static double count(io.micrometer.core.instrument.MeterRegistry meters, String action, String reason) {
        return meters.get("rb.access.decisions").tag("action", action).tag("reason", reason).counter().count();
    }

    @Test
    void aPendingDecisionIsAnsweredOnlyOnceItsRowIsWrittenAndDeniedIfItIsNot() throws Exception {
        gpLink(TODAY.minusDays(3));
        java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
        AccessAuditor slow = new AccessAuditor() {
            @Override
            public void record(AccessRequest request, AccessDecision decision) {
                start(request, decision).await();
            }

            @Override
            public Recording start(AccessRequest request, AccessDecision decision) {
                return () -> {
                    try {
                        written.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    if (fail.get()) {
                        throw new IllegalStateException("database down");
                    }
                };
            }
        };
        AuditedAccessGate audited = new AuditedAccessGate(gate, slow);
        AuditedAccessGate.PendingDecision pending = audited.decideWhileRecording(read(GP, SUMEHR, null));
        assertThat(pending.decided().allowed()).isTrue(); // known at once: the search can start
        var answer = java.util.concurrent.CompletableFuture.supplyAsync(pending::recorded);
        Thread.sleep(100);
        assertThat(answer).isNotDone(); // the answer waits for the row
        written.countDown();
        assertThat(answer.get(5, java.util.concurrent.TimeUnit.SECONDS).allowed()).isTrue();

        fail.set(true);
        AuditedAccessGate.PendingDecision unwritten = audited.decideWhileRecording(read(GP, SUMEHR, null));
        assertThat(unwritten.decided().allowed()).isTrue();
        assertThat(unwritten.recorded().reason()).isEqualTo(AccessReason.AUDIT_UNAVAILABLE);
        assertThat(unwritten.recorded().reason()).isEqualTo(AccessReason.AUDIT_UNAVAILABLE);
    }
}
