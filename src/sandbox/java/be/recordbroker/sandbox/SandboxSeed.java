package be.recordbroker.sandbox;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The sandbox network's seed, as read from {@code sandbox/seed.yaml}: the simulated world (hospitals, people, consents,
 * links, exclusions, documents). It is the sandbox's own view, wider than the broker's network file: SANDBOX-NAM, for
 * instance, is known to its hub but not connected to the broker.
 */
public record SandboxSeed(List<SeedHospital> hospitals, List<SeedProfessional> professionals, List<SeedPatient> patients,
                          List<SeedLink> therapeuticLinks, List<SeedExclusion> exclusions, List<SeedDocument> documents,
                          List<SeedRepresentation> representations) {

    /** A citizen registered to act for another (docs/domain.md, R8): {@code kind} parent or mandatary. */
    public record SeedRepresentation(String representative, String patient, String kind, LocalDate beginDate,
                                     LocalDate endDate) {
    }

    public record SeedHospital(String facilityId, String name, String nihii, String hub, String source) {
    }

    public record SeedProfessional(String nihii, String ssin, String profession, String firstName, String lastName,
                                   String role) {
        public String name() {
            return firstName + " " + lastName;
        }
    }

    public record SeedConsent(String type, LocalDate signDate, LocalDate revokeDate) {
    }

    public record SeedPatient(String ssin, String firstName, String lastName, LocalDate birthDate, String sex,
                              List<String> hubs, SeedConsent consent) {
    }

    public record SeedLink(String patient, String professional, String type, LocalDate startDate, LocalDate endDate) {
    }

    public record SeedExclusion(String patient, String professional) {
    }

    /** {@code content}: kmehr (a SUMEHR), text, pdf-small, pdf-large (a few MB). */
    public record SeedDocument(String localId, String hub, String hospital, String patient, String type, String title,
                               OffsetDateTime dateTime, String author, String content) {
    }
}
