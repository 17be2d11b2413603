package be.recordbroker.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;

/** Brief R8: a parent for a child under the age limit, a mandatary while the mandate runs; nobody else. */
class RepresentativeGateTest {

    static final String PARENT = "78040814421";
    static final String YOUNG_CHILD = "19061512391";   // born 2019-06-15: 7 on AccessGateTest.NOW
    static final String OLDER_CHILD = "12020175988";   // born 2012-02-01: 14
    static final String MANDATOR = "48010322323";
    static final String MANDATARY = "85020339058";
    static final String FORMER_MANDATARY = "85050522191";
    static final String STRANGER = "55062835304";

    final Map<String, List<RepresentationFact>> registered = new HashMap<>();
    final AtomicInteger questions = new AtomicInteger();
    boolean metahubDown;
    FakeFacts facts;
    AccessGate gate;
    Representatives representatives;

    @BeforeEach
    void setUp() throws IOException {
        LocalDate today = AccessGateTest.TODAY;
        register(PARENT, YOUNG_CHILD, new RepresentationFact(RepresentationFact.Kind.PARENT, LocalDate.of(2019, 6, 15),
                LocalDate.of(2019, 6, 15), null));
        register(PARENT, OLDER_CHILD, new RepresentationFact(RepresentationFact.Kind.PARENT, LocalDate.of(2012, 2, 1),
                LocalDate.of(2012, 2, 1), null));
        register(MANDATARY, MANDATOR, new RepresentationFact(RepresentationFact.Kind.MANDATARY, null,
                LocalDate.of(2025, 5, 1), null));
        register(FORMER_MANDATARY, MANDATOR, new RepresentationFact(RepresentationFact.Kind.MANDATARY, null,
                LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 31)));
        facts = new FakeFacts();
        for (String p : List.of(YOUNG_CHILD, OLDER_CHILD, MANDATOR)) {
            facts.consent(p, new ConsentFact(LocalDate.of(2024, 3, 1), null));
        }
        RepresentationFacts source = (representative, patient) -> {
            questions.incrementAndGet();
            if (metahubDown) {
                throw new FactUnavailableException("the metahub could not be reached", null);
            }
            return registered.getOrDefault(representative + "|" + patient, List.of());
        };
        representatives = new Representatives(source, 12, Duration.ZERO.plusNanos(1), AccessGateTest.BRUSSELS,
                Clock.fixed(AccessGateTest.NOW, AccessGateTest.BRUSSELS));
        AccessMatrix matrix;
        try (Reader csv = Files.newBufferedReader(Path.of("config/access-matrix.csv"))) {
            matrix = AccessMatrix.parse(csv, "config/access-matrix.csv");
        }
        gate = new AccessGate(facts, matrix, new LinkPolicy(Map.of("gpconsultation",
                new LinkPolicy.LinkType(Period.ofMonths(15), Set.of("persphysician")))),
                new BreakTheGlassPolicy(Set.of("persphysician"), 10, 200), AccessGateTest.BRUSSELS, representatives);
        assertThat(today).isEqualTo(LocalDate.of(2026, 11, 22));
    }

    void register(String representative, String patient, RepresentationFact fact) {
        registered.computeIfAbsent(representative + "|" + patient, k -> new ArrayList<>()).add(fact);
    }

    static Professional citizen(String ssin) {
        return new Professional(null, Ssin.parse(ssin), Professional.PATIENT, "citizen " + ssin.substring(0, 2));
    }

    AccessDecision decide(String actor, String patient, AccessAction action) {
        DocumentRef document = action == AccessAction.READ
                ? new DocumentRef("rsb", "RSBID", "DOC-1", "ebirth-mother-medicalform", "id-1") : null;
        return gate.decide(new AccessRequest(citizen(actor), patient, action, document, null, null, "rest", "req-1",
                AccessGateTest.NOW));
    }

    @Test
    void aParentActsForAYoungChildInEverything() {
        for (AccessAction action : List.of(AccessAction.SEARCH, AccessAction.READ, AccessAction.AUDIT_TRAIL)) {
            AccessDecision decision = decide(PARENT, YOUNG_CHILD, action);
            assertThat(decision.reason()).as(action.code()).isEqualTo(AccessReason.REPRESENTATIVE);
            assertThat(decision.allowed()).isTrue();
        }
        assertThat(representatives.mayActFor(PARENT, YOUNG_CHILD)).isTrue();
    }

    @Test
    void aParentNoLongerActsForAChildPastTheAge() {
        assertThat(decide(PARENT, OLDER_CHILD, AccessAction.SEARCH).reason()).isEqualTo(AccessReason.NOT_A_REPRESENTATIVE);
        assertThat(decide(PARENT, OLDER_CHILD, AccessAction.AUDIT_TRAIL).reason())
                .isEqualTo(AccessReason.NOT_A_REPRESENTATIVE);
        assertThat(representatives.mayActFor(PARENT, OLDER_CHILD)).isFalse();
    }

    @Test
    void theAgeLimitIsTheDayOfTheBirthday() {
        LocalDate birth = LocalDate.of(2014, 11, 22); // 12 on AccessGateTest.NOW
        RepresentationFact fact = new RepresentationFact(RepresentationFact.Kind.PARENT, birth, birth, null);
        register(PARENT, "14112200130", fact);
        facts.consent("14112200130", new ConsentFact(LocalDate.of(2024, 3, 1), null));
        assertThat(decide(PARENT, "14112200130", AccessAction.SEARCH).reason())
                .isEqualTo(AccessReason.NOT_A_REPRESENTATIVE);
        Representatives older = new Representatives((r, p) -> List.of(fact), 13, Duration.ofSeconds(1),
                AccessGateTest.BRUSSELS, Clock.fixed(AccessGateTest.NOW, AccessGateTest.BRUSSELS));
        assertThat(older.mayActFor(PARENT, "14112200130")).as("parent-max-age 13").isTrue();
    }

    @Test
    void aMandataryActsForHisMandatorWhileTheMandateRuns() {
        assertThat(decide(MANDATARY, MANDATOR, AccessAction.SEARCH).reason()).isEqualTo(AccessReason.REPRESENTATIVE);
        assertThat(decide(MANDATARY, MANDATOR, AccessAction.READ).reason()).isEqualTo(AccessReason.REPRESENTATIVE);
        assertThat(decide(FORMER_MANDATARY, MANDATOR, AccessAction.SEARCH).reason())
                .isEqualTo(AccessReason.NOT_A_REPRESENTATIVE);
        assertThat(representatives.mayActFor(FORMER_MANDATARY, MANDATOR)).isFalse();
    }

    @Test
    void aMandateIsNotReciprocal() {
        assertThat(decide(MANDATOR, MANDATARY, AccessAction.SEARCH).reason()).isEqualTo(AccessReason.NOT_THE_PATIENT);
        assertThat(decide(YOUNG_CHILD, PARENT, AccessAction.SEARCH).reason()).isEqualTo(AccessReason.NOT_THE_PATIENT);
    }

    @Test
    void aStrangerIsNotThePatient() {
        assertThat(decide(STRANGER, YOUNG_CHILD, AccessAction.SEARCH).reason()).isEqualTo(AccessReason.NOT_THE_PATIENT);
        assertThat(representatives.mayActFor(STRANGER, YOUNG_CHILD)).isFalse();
    }

    @Test
    void aRepresentativeIsStillBoundByTheConsent() {
        facts.consents.remove(YOUNG_CHILD);
        assertThat(decide(PARENT, YOUNG_CHILD, AccessAction.SEARCH).reason()).isEqualTo(AccessReason.NO_CONSENT);
        assertThat(decide(PARENT, YOUNG_CHILD, AccessAction.AUDIT_TRAIL).reason()).isEqualTo(AccessReason.REPRESENTATIVE);
    }

    @Test
    void theMetahubIsNotAskedForThePatientHimselfAndItsSilenceDenies() {
        assertThat(decide(YOUNG_CHILD, YOUNG_CHILD, AccessAction.SEARCH).reason()).isEqualTo(AccessReason.PATIENT_HIMSELF);
        assertThat(questions).hasValue(0);
        metahubDown = true;
        assertThat(decide(PARENT, YOUNG_CHILD, AccessAction.SEARCH).reason()).isEqualTo(AccessReason.FACTS_UNAVAILABLE);
        assertThat(representatives.mayActFor(PARENT, YOUNG_CHILD)).isFalse();
    }

    @Test
    void professionalsAreNotRepresentatives() {
        AccessDecision decision = gate.decide(new AccessRequest(AccessGateTest.GP, YOUNG_CHILD, AccessAction.SEARCH,
                null, null, null, "rest", "req-1", AccessGateTest.NOW));
        assertThat(decision.reason()).isEqualTo(AccessReason.NO_THERAPEUTIC_LINK);
        assertThat(questions).hasValue(0);
    }
}
