package be.recordbroker.domain;

/**
 * A person acting on a record: a care professional, or the patient themself.
 *
 * <p>A professional must have a NIHII. A patient ({@code profession = "patient"}) has no NIHII,
 * so it may be null, but then the SSIN is required.
 *
 * @param nihii      the NIHII; null only for a patient
 * @param ssin       the person's SSIN, nullable for professionals
 * @param profession CD-HCPARTY value, e.g. {@code persphysician}, or {@code patient}
 * @param name       display name, non-blank
 */
public record Professional(Nihii nihii, Ssin ssin, String profession, String name) {

    /** The {@code profession} value that marks the patient. */
    public static final String PATIENT = "patient";

    /** Validates the fields. */
    public Professional {
        Texts.requireNonBlank(profession, "profession");
        Texts.requireNonBlank(name, "name");
        boolean patient = PATIENT.equals(profession);
        if (!patient && nihii == null) {
            throw new IllegalArgumentException("a professional (" + profession + ") must have a NIHII");
        }
        if (patient && ssin == null) {
            throw new IllegalArgumentException("a patient actor must have an SSIN");
        }
    }

    /** True if this actor is the patient rather than a care professional. */
    public boolean isPatient() {
        return PATIENT.equals(profession);
    }

    /** Leaves the SSIN out entirely (not even masked): it adds nothing to a log line. */
    @Override
    public String toString() {
        return "Professional[nihii=" + nihii + ", profession=" + profession + ", name=" + name + "]";
    }
}
