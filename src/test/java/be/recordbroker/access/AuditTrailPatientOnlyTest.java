package be.recordbroker.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;

/**
 * The audit trail is the patient's (issue 12): the patient reads it; a professional gets AUDIT_TRAIL_PATIENT_ONLY
 * (403) whatever his link, consent or emergency, and that refusal is itself audited; another citizen gets
 * NOT_THE_PATIENT; break-the-glass texts are shown to the patient himself only; an unauthenticated caller is refused,
 * counted and not audited.
 */
class AuditTrailPatientOnlyTest {

    static final String PATIENT = AccessGateTest.PATIENT;

    AccessGate gate;
    List<AccessRequest> audited = new ArrayList<>();
    AuditedAccessGate audit;

    @BeforeEach
    void setUp() throws Exception {
        FakeFacts facts = new FakeFacts().consent(PATIENT, new ConsentFact(LocalDate.of(2024, 3, 1), null));
        gate = AccessGateTest.gate(facts);
        audit = new AuditedAccessGate(gate, (r, d) -> audited.add(r));
    }

    static AccessRequest trail(Professional who, String btg) {
        return new AccessRequest(who, PATIENT, AccessAction.AUDIT_TRAIL, null, null, btg, "rest", "req-t",
                AccessGateTest.NOW);
    }

    @Test
    void professionalsAreRefusedAndTheRefusalIsAudited() {
        for (Professional p : List.of(AccessGateTest.GP, AccessGateTest.NURSE, AccessGateTest.DENTIST)) {
            AccessDecision d = audit.decide(trail(p, null));
            assertThat(d.reason()).isEqualTo(AccessReason.AUDIT_TRAIL_PATIENT_ONLY);
            assertThat(d.reason().httpStatus()).isEqualTo(403);
        }
        assertThat(audit.decide(trail(AccessGateTest.GP, "Unconscious patient at the emergency department")).reason())
                .isEqualTo(AccessReason.AUDIT_TRAIL_PATIENT_ONLY);
        assertThat(audited).hasSize(4);
    }

    @Test
    void thePatientReadsHisOwnTrailAndSeesTheJustifications() {
        assertThat(audit.decide(trail(AccessGateTest.HIMSELF, null)).reason()).isEqualTo(AccessReason.PATIENT_HIMSELF);
        assertThat(AccessGate.showsBreakTheGlassTexts(AccessGateTest.HIMSELF, PATIENT)).isTrue();
        Professional other = new Professional(null, Ssin.parse(AccessGateTest.OTHER_PATIENT), "patient", "other");
        assertThat(audit.decide(trail(other, null)).reason()).isEqualTo(AccessReason.NOT_THE_PATIENT);
        assertThat(AccessGate.showsBreakTheGlassTexts(other, PATIENT)).isFalse();
        assertThat(AccessGate.showsBreakTheGlassTexts(AccessGateTest.GP, PATIENT)).isFalse();
        assertThat(AccessGate.showsBreakTheGlassTexts(null, PATIENT)).isFalse();
    }

    @Test
    void anUnauthenticatedCallerIsCountedNotAudited() {
        assertThat(audit.decide(trail(null, null)).reason()).isEqualTo(AccessReason.UNAUTHENTICATED);
        assertThat(audit.decide(new AccessRequest(null, PATIENT, AccessAction.SEARCH, null, null, null, "soap", "r",
                AccessGateTest.NOW)).reason()).isEqualTo(AccessReason.UNAUTHENTICATED);
        assertThat(audited).isEmpty();
        assertThat(audit.anonymous().count("rest")).isEqualTo(1);
        assertThat(audit.anonymous().count("soap")).isEqualTo(1);
    }
}
