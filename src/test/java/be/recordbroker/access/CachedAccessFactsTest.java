package be.recordbroker.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import be.recordbroker.domain.Professional;

class CachedAccessFactsTest {

    static final String PATIENT = AccessGateTest.PATIENT;
    final FakeFacts source = new FakeFacts().consent(PATIENT, new ConsentFact(LocalDate.of(2024, 3, 1), null));
    final AtomicLong nanos = new AtomicLong();
    final CachedAccessFacts cached = new CachedAccessFacts(source, Duration.ofSeconds(30), 1000, nanos::get);

    @Test
    void aRevokedConsentKeepsCountingUntilTheEntryExpires() {
        assertThat(cached.consent(PATIENT)).isPresent();
        source.consents.clear(); // revoked at the hub
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(cached.consent(PATIENT)).as("within the TTL the cached consent still holds").isPresent();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cached.consent(PATIENT)).as("after the TTL the hub is asked again").isEmpty();
        assertThat(source.questions).hasValue(2);
    }

    /** Background work of a refreshing cache, run when the test says so. */
    final java.util.List<Runnable> background = new java.util.ArrayList<>();

    private CachedAccessFacts refreshingAfter20Seconds() {
        return new CachedAccessFacts(source, Duration.ofSeconds(30), Duration.ofSeconds(20), 1000, nanos::get,
                background::add);
    }

    private void runBackground() {
        List<Runnable> queued = List.copyOf(background);
        background.clear();
        queued.forEach(Runnable::run);
    }

    @Test
    void anAgeingEntryIsAnsweredAtOnceAndFetchedAgainInTheBackground() {
        CachedAccessFacts refreshing = refreshingAfter20Seconds();
        assertThat(refreshing.consent(PATIENT)).isPresent();
        source.consents.clear(); // revoked at the hub
        nanos.addAndGet(Duration.ofSeconds(21).toNanos());

        assertThat(refreshing.consent(PATIENT)).as("answered from the cache, not after a hub round trip").isPresent();
        assertThat(source.questions).as("the hub is not asked on the caller's thread").hasValue(1);
        assertThat(background).as("a background fetch (and the cache's own upkeep)").isNotEmpty();

        runBackground();
        assertThat(source.questions).hasValue(2);
        assertThat(refreshing.consent(PATIENT)).as("the fresh answer, before the old one's TTL").isEmpty();
    }

    @Test
    void aFailedBackgroundFetchLeavesTheOldAnswerToExpireAtItsTtl() {
        CachedAccessFacts refreshing = refreshingAfter20Seconds();
        assertThat(refreshing.consent(PATIENT)).isPresent();
        source.down = true;
        nanos.addAndGet(Duration.ofSeconds(21).toNanos());
        assertThat(refreshing.consent(PATIENT)).isPresent();
        runBackground();
        assertThat(source.questions).as("the background fetch was tried").hasValue(2);

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(refreshing.consent(PATIENT)).as("still the old answer, within its TTL").isPresent();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThatThrownBy(() -> refreshing.consent(PATIENT)).as("expired, and the hub is still down")
                .isInstanceOf(FactUnavailableException.class);
    }

    @Test
    void forgettingAPatientAsksTheHubAgainAtOnce() {
        assertThat(cached.excluded(PATIENT, "12345625004")).isFalse();
        cached.consent(PATIENT);
        source.exclude(PATIENT, "12345625004");
        source.consents.clear();
        cached.forgetPatient(PATIENT);
        assertThat(cached.excluded(PATIENT, "12345625004")).isTrue();
        assertThat(cached.consent(PATIENT)).isEmpty();
    }

    @Test
    void aDisallowIsKnownWithoutAHubOnlyOnceCachedAndUntilItExpires() {
        DocumentRef lab = AccessGateTest.LAB;
        source.disallow(lab, "12345625004");
        assertThat(cached.disallowedIfKnown(lab, "12345625004")).as("never asked: unknown").isEmpty();
        assertThat(source.questions).as("and no hub was asked for it").hasValue(0);
        assertThat(cached.disallowed(lab, "12345625004")).isTrue();
        assertThat(cached.disallowedIfKnown(lab, "12345625004")).contains(true);
        assertThat(cached.disallowedIfKnown(lab, "10000001010")).isEmpty();
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(cached.disallowedIfKnown(lab, "12345625004")).as("expired: unknown again").isEmpty();
        assertThat(source.questions).hasValue(1);
    }

    @Test
    void theGateListsFromCachedFactsOnlyWhatItCanAnswerWithoutAHub() throws IOException {
        AccessGate gate = AccessGateTest.gate(cached);
        Professional gp = AccessGateTest.GP;
        assertThat(gate.listableIfKnown(gp, AccessGateTest.LAB)).as("access rights not fetched yet").isEmpty();
        assertThat(gate.listable(gp, AccessGateTest.LAB)).isTrue();
        assertThat(gate.listableIfKnown(gp, AccessGateTest.LAB)).contains(true);
        source.disallow(AccessGateTest.SUMEHR, gp.nihii().value());
        assertThat(gate.listable(gp, AccessGateTest.SUMEHR)).isFalse();
        assertThat(gate.listableIfKnown(gp, AccessGateTest.SUMEHR)).contains(false);
        assertThat(gate.listableIfKnown(AccessGateTest.DENTIST, AccessGateTest.BIRTH))
                .as("the matrix alone answers").contains(false);
    }

    @Test
    void failuresAreNotCached() {
        source.down = true;
        assertThatThrownBy(() -> cached.consent(PATIENT)).isInstanceOf(FactUnavailableException.class);
        source.down = false;
        assertThat(cached.consent(PATIENT)).isPresent();
        assertThat(cached.consent(PATIENT)).isPresent();
        assertThat(source.questions).hasValue(2);
    }

    @Test
    void aWarmCacheAnswersTheGateWithoutAskingTheHubs() throws IOException {
        AccessGate gate = AccessGateTest.gate(cached);
        source.link(PATIENT, AccessGateTest.GP.nihii().value(),
                new TherapeuticLinkFact("gpconsultation", AccessGateTest.TODAY.minusDays(10), null));
        AccessRequest read = AccessGateTest.read(AccessGateTest.GP, AccessGateTest.SUMEHR, null);
        assertThat(gate.decide(read).allowed()).isTrue();
        int asked = source.questions.get();
        assertThat(asked).isEqualTo(4); // consent, exclusion, links, access rights
        assertThat(gate.decide(read).allowed()).isTrue();
        assertThat(source.questions).hasValue(asked);
    }

    @Test
    void theMatrixFileRejectsMistakesWithTheirLine() {
        assertThatThrownBy(() -> AccessMatrix.parse(new StringReader("profession,sumehr\npersphysician,write\n"), "m.csv"))
                .hasMessageContaining("m.csv line 2").hasMessageContaining("write");
        assertThatThrownBy(() -> AccessMatrix.parse(new StringReader("# only a comment\n"), "m.csv"))
                .hasMessageContaining("no header");
        assertThatThrownBy(() -> AccessMatrix.parse(new StringReader("profession,sumehr,*\npersnurse,read\n"), "m.csv"))
                .hasMessageContaining("line 2").hasMessageContaining("expected 3 cells");
    }

    @Test
    void theMatrixFallsBackToItsStarColumnAndKnowsNoUnlistedProfession() throws IOException {
        AccessMatrix matrix = AccessMatrix.parse(new StringReader("profession,sumehr,*\nPersNurse,read,list\n"), "m.csv");
        assertThat(matrix.level("persnurse", "SUMEHR")).isEqualTo(AccessLevel.READ);
        assertThat(matrix.level("persnurse", "labresult")).isEqualTo(AccessLevel.LIST);
        assertThat(matrix.level("persdentist", "sumehr")).isEqualTo(AccessLevel.NONE);
    }
}
