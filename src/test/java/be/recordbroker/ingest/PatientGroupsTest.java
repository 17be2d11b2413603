package be.recordbroker.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import be.recordbroker.domain.Ssin;

/**
 * The patients' JMS groups are keyed: the same SSIN under the same key is the same group (on every instance), under
 * another key another group, and never the unkeyed SHA-256 that anyone who sees the group id could reverse by trying
 * every SSIN.
 */
class PatientGroupsTest {

    private static final Ssin OLIVIA = Ssin.parse("78040814421");
    private static final String KEY = Base64.getEncoder().encodeToString(
            "a cluster's own group key, 32 bytes+".getBytes(StandardCharsets.US_ASCII));
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString(
            "another cluster's group key, 32 by".getBytes(StandardCharsets.US_ASCII));

    @Test
    void theSameSsinUnderTheSameKeyIsTheSameGroupOnEveryInstance() {
        String group = new PatientGroups(KEY).of(OLIVIA);
        assertThat(new PatientGroups(KEY).of(OLIVIA)).isEqualTo(group);
        assertThat(group).matches("p-[0-9a-f]{24}");
        assertThat(new PatientGroups(KEY).of(Ssin.parse("85073003328"))).isNotEqualTo(group);
    }

    @Test
    void anotherKeyGivesAnotherGroup() {
        assertThat(new PatientGroups(OTHER_KEY).of(OLIVIA)).isNotEqualTo(new PatientGroups(KEY).of(OLIVIA));
    }

    @Test
    void itIsNotThePlainSha256OfTheSsin() throws Exception {
        byte[] plain = MessageDigest.getInstance("SHA-256").digest(OLIVIA.value().getBytes(StandardCharsets.US_ASCII));
        String unkeyed = "p-" + HexFormat.of().formatHex(plain, 0, 12);
        assertThat(new PatientGroups(KEY).of(OLIVIA)).isNotEqualTo(unkeyed).doesNotContain(OLIVIA.value());
        assertThat(new PatientGroups(PatientGroups.DEVELOPMENT_KEY).of(OLIVIA)).isNotEqualTo(unkeyed);
    }

    @Test
    void noPatientIsOneGroup() {
        assertThat(new PatientGroups(KEY).of(null)).isEqualTo(PatientGroups.NO_PATIENT);
    }

    @Test
    void aMissingShortOrMalformedKeyIsRefused() {
        assertThatThrownBy(() -> new PatientGroups("")).hasMessageContaining("RECORD_BROKER_INGEST_GROUP_KEY");
        assertThatThrownBy(() -> new PatientGroups(null)).hasMessageContaining("is not set");
        assertThatThrownBy(() -> new PatientGroups(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> new PatientGroups("not base64!")).hasMessageContaining("not base64");
    }

    @Test
    void concurrentCallersGetTheSameGroups() throws Exception {
        PatientGroups groups = new PatientGroups(KEY);
        String expected = groups.of(OLIVIA);
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    if (!groups.of(OLIVIA).equals(expected)) {
                        wrong.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong).hasValue(0);
    }
}
