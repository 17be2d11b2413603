package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DocumentEntryTest {

    private static final Ssin PATIENT = Ssin.parse("85073003328");
    private static final DocumentId ID = new DocumentId("1990000035", "85073003328", "RSWID", "tx-1");
    private static final OffsetDateTime WHEN = OffsetDateTime.of(2024, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    private static final Professional GP = new Professional(
            Nihii.parse("12345625001", NihiiValidation.STRICT), PATIENT, "persphysician", "Dr. Jan Peeters");
    private static final Institution HOSPITAL = new Institution(Nihii.parse("71000012", NihiiValidation.LENIENT), "AZ Test");

    private static DocumentEntry entry(Long size, String sha256, String mimeType) {
        return new DocumentEntry(ID, PATIENT, "labresult", "Lab results", WHEN, GP, HOSPITAL, "HIS-AZTEST",
                mimeType, size, sha256, DocumentStatus.AVAILABLE);
    }

    @Test
    void keepsFieldsAndNormalisesSha256() {
        DocumentEntry e = entry(1234L, "AB".repeat(32), "text/xml");

        assertThat(e.sha256()).isEqualTo("ab".repeat(32));
        assertThat(e.size()).isEqualTo(1234L);
        assertThat(e.author()).isEqualTo(GP);
        assertThat(e.authorInstitution().name()).isEqualTo("AZ Test");
    }

    @Test
    void optionalFieldsMayBeNull() {
        DocumentEntry e = new DocumentEntry(ID, PATIENT, "sumehr", "Sumehr", WHEN, null, null, null, "text/xml",
                null, null, DocumentStatus.REVOKED);
        assertThat(e.author()).isNull();
        assertThat(e.status()).isEqualTo(DocumentStatus.REVOKED);
    }

    @Test
    void rejectsInvalidValues() {
        assertThatThrownBy(() -> entry(-1L, null, "text/xml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size");
        assertThatThrownBy(() -> entry(null, "abc", "text/xml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256");
        assertThatThrownBy(() -> entry(null, "g".repeat(64), "text/xml")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entry(null, null, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mimeType");
        assertThatThrownBy(() -> new DocumentEntry(ID, null, "sumehr", "t", WHEN, null, null, null, "text/xml",
                null, null, DocumentStatus.AVAILABLE)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringDoesNotLeakAnySsin() {
        assertThat(entry(null, null, "text/xml").toString()).doesNotContain("85073003328");
    }

    @Test
    void professionalToStringOmitsTheSsin() {
        assertThat(GP.toString())
                .contains("12345625001").contains("persphysician").contains("Dr. Jan Peeters")
                .doesNotContain("85073003328").doesNotContain("85.07.30");
    }

    @Test
    void patientActor() {
        Professional patient = new Professional(null, PATIENT, "patient", "Jan Janssens");

        assertThat(patient.isPatient()).isTrue();
        assertThat(GP.isPatient()).isFalse();
        assertThatThrownBy(() -> new Professional(null, null, "patient", "Jan Janssens"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SSIN");
        assertThatThrownBy(() -> new Professional(null, PATIENT, "persphysician", "Dr. X"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NIHII");
        assertThatThrownBy(() -> new Professional(GP.nihii(), null, " ", "Dr. X"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void institutionRequiresNihiiAndName() {
        assertThatThrownBy(() -> new Institution(null, "AZ")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Institution(HOSPITAL.nihii(), "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidIdentifierExceptionCarriesItsReason() {
        InvalidIdentifierException e = new InvalidIdentifierException("INVALID_SSIN", "SSIN check digits do not match");

        assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage("SSIN check digits do not match");
        assertThat(e.reason()).isEqualTo("INVALID_SSIN");
    }
}
