package be.recordbroker.access;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;

/**
 * The access decision (docs/access-and-audit.md, docs/domain.md), in this order, each step with its reason code:
 * <ol>
 *   <li>an authenticated caller ({@code UNAUTHENTICATED}) and a valid SSIN ({@code INVALID_SSIN});</li>
 *   <li>an audit trail for the patient only ({@code AUDIT_TRAIL_PATIENT_ONLY} for a professional);</li>
 *   <li>a citizen for himself, or for a patient he represents ({@code REPRESENTATIVE}: a parent for a child under
 *       the configured age, a mandatary while the mandate runs; a registration that does not hold is
 *       {@code NOT_A_REPRESENTATIVE}, no registration {@code NOT_THE_PATIENT}); the audit trail always, the documents
 *       only under an active consent (a withdrawn consent stops sharing for everybody, the patient included);</li>
 *   <li>a consent active on the day of access ({@code NO_CONSENT});</li>
 *   <li>no exclusion of this professional ({@code EXCLUDED}) — checked before break-the-glass, so that it holds even
 *       in an emergency;</li>
 *   <li>an active therapeutic link of a type that serves the profession, or else a break-the-glass by an allowed
 *       profession ({@code BTG_NOT_ALLOWED}) with a valid justification ({@code BTG_REASON_INVALID}); with neither,
 *       {@code NO_THERAPEUTIC_LINK};</li>
 *   <li>for a read: the matrix gives the profession {@code read} on the document type ({@code MATRIX_DENIED}) and
 *       the document's hub holds no {@code disallow} for the professional ({@code ACCESS_RIGHT_DENIED}).</li>
 * </ol>
 * Steps 1–5 are {@link #decidePatient}, step 6 {@link #decideDocument}: a retrieval takes (and audits) the first
 * before it asks any hub where the document is. A fact that cannot be fetched denies with {@code FACTS_UNAVAILABLE}.
 * Plain Java: no I/O of its own.
 */
public final class AccessGate {

    private final AccessFacts facts;
    private final AccessMatrix matrix;
    private final LinkPolicy links;
    private final BreakTheGlassPolicy breakTheGlass;
    private final ZoneId zone;
    private final Representatives representatives;

    /** A gate for which no citizen represents another. */
    public AccessGate(AccessFacts facts, AccessMatrix matrix, LinkPolicy links, BreakTheGlassPolicy breakTheGlass,
                      ZoneId zone) {
        this(facts, matrix, links, breakTheGlass, zone, Representatives.none(zone));
    }

    public AccessGate(AccessFacts facts, AccessMatrix matrix, LinkPolicy links, BreakTheGlassPolicy breakTheGlass,
                      ZoneId zone, Representatives representatives) {
        this.representatives = Objects.requireNonNull(representatives);
        this.facts = Objects.requireNonNull(facts);
        this.matrix = Objects.requireNonNull(matrix);
        this.links = Objects.requireNonNull(links);
        this.breakTheGlass = Objects.requireNonNull(breakTheGlass);
        this.zone = Objects.requireNonNull(zone);
    }

    /**
     * The whole decision: {@link #decidePatient}, then, for a read it allowed, {@link #decideDocument}. For callers
     * that already know the document's type (a read needs it).
     */
    public AccessDecision decide(AccessRequest request) {
        AccessDecision patient = decidePatient(request);
        if (!patient.allowed() || request.action() != AccessAction.READ) {
            return patient;
        }
        return decideDocument(request, patient);
    }

    /**
     * Steps 1–5 of the class javadoc: may this caller see this patient's data at all. Needs nothing about a document,
     * so that a retrieval can decide (and audit) it before any hub is asked where the document is. A break-the-glass
     * text is validated here; the decision carries it (stripped) only when it is what allowed the access, and only
     * that text may be passed on to a hub.
     */
    public AccessDecision decidePatient(AccessRequest request) {
        try {
            return decidePatientOrThrow(request);
        } catch (FactUnavailableException e) {
            return AccessDecision.deny(AccessReason.FACTS_UNAVAILABLE, e.getMessage());
        }
    }

    /**
     * Step 6, for a read that {@link #decidePatient} allowed ({@code patientDecision}): the matrix and the document's
     * access rights. The patient and his representatives see all of his documents. Returns {@code patientDecision}
     * when the document may be read, a denial otherwise.
     */
    public AccessDecision decideDocument(AccessRequest request, AccessDecision patientDecision) {
        if (!patientDecision.allowed()) {
            return patientDecision;
        }
        Professional caller = request.caller();
        if (caller.isPatient()) {
            return patientDecision;
        }
        try {
            DocumentRef document = request.document();
            if (!matrix.level(caller.profession(), document.transactionType()).permits(AccessLevel.READ)) {
                return AccessDecision.deny(AccessReason.MATRIX_DENIED,
                        caller.profession() + " may not read a " + document.transactionType());
            }
            if (facts.disallowed(document, caller.nihii().value())) {
                return AccessDecision.deny(AccessReason.ACCESS_RIGHT_DENIED,
                        "the document is hidden from this professional");
            }
            return patientDecision;
        } catch (FactUnavailableException e) {
            return AccessDecision.deny(AccessReason.FACTS_UNAVAILABLE, e.getMessage());
        }
    }

    /**
     * Whether a search result may show this document to the caller (who passed the gate for the search): the matrix
     * gives at least {@code list} and no {@code disallow} hides it. The patient sees all of his own.
     *
     * @throws FactUnavailableException when the document's access rights cannot be fetched
     */
    public boolean listable(Professional caller, DocumentRef document) {
        if (caller.isPatient()) {
            return true;
        }
        return matrix.level(caller.profession(), document.transactionType()).permits(AccessLevel.LIST)
                && !facts.disallowed(document, caller.nihii().value());
    }

    /** {@link #listable} when it can be answered without asking a hub, else empty. */
    public Optional<Boolean> listableIfKnown(Professional caller, DocumentRef document) {
        if (caller.isPatient()) {
            return Optional.of(true);
        }
        if (!matrix.level(caller.profession(), document.transactionType()).permits(AccessLevel.LIST)) {
            return Optional.of(false);
        }
        return facts.disallowedIfKnown(document, caller.nihii().value()).map(disallowed -> !disallowed);
    }

    private AccessDecision decidePatientOrThrow(AccessRequest request) {
        Professional caller = request.caller();
        if (caller == null) {
            return AccessDecision.deny(AccessReason.UNAUTHENTICATED, "no valid identity was presented");
        }
        if (request.patientSsin() == null || !Ssin.isValid(request.patientSsin())) {
            return AccessDecision.deny(AccessReason.INVALID_SSIN, "the patient identifier is not a valid SSIN");
        }
        Ssin patient = Ssin.parse(request.patientSsin());
        LocalDate day = LocalDate.ofInstant(request.at(), zone);
        if (request.action() == AccessAction.AUDIT_TRAIL && !caller.isPatient()) {
            // the trail is the patient's: no link, consent or break-the-glass opens it to a professional
            return AccessDecision.deny(AccessReason.AUDIT_TRAIL_PATIENT_ONLY,
                    "a patient's audit trail is read by the patient and his representatives only");
        }

        if (caller.isPatient()) {
            return decideForCitizen(request, caller, patient, day);
        }

        if (!consentActive(patient, day)) {
            return AccessDecision.deny(AccessReason.NO_CONSENT, "the patient has no active consent to sharing");
        }
        String nihii = caller.nihii().value();
        if (facts.excluded(patient.value(), nihii)) {
            return AccessDecision.deny(AccessReason.EXCLUDED, "the patient excluded this professional");
        }

        AccessReason basis;
        String justification = null;
        if (links.activeFor(caller.profession(), facts.therapeuticLinks(patient.value(), nihii), day).isPresent()) {
            basis = AccessReason.THERAPEUTIC_LINK;
        } else if (request.breakTheGlass() != null) {
            if (!breakTheGlass.allowedFor(caller.profession())) {
                return AccessDecision.deny(AccessReason.BTG_NOT_ALLOWED,
                        "profession " + caller.profession() + " may not use the emergency procedure");
            }
            if (!breakTheGlass.validReason(request.breakTheGlass())) {
                return AccessDecision.deny(AccessReason.BTG_REASON_INVALID, "a break-the-glass justification needs "
                        + breakTheGlass.minLength() + " to " + breakTheGlass.maxLength() + " characters");
            }
            basis = AccessReason.BREAK_THE_GLASS;
            justification = request.breakTheGlass().strip();
        } else {
            return AccessDecision.deny(AccessReason.NO_THERAPEUTIC_LINK,
                    "no active therapeutic link of a type allowed for " + caller.profession());
        }

        return AccessDecision.allow(basis, basis == AccessReason.BREAK_THE_GLASS
                ? "emergency access without a therapeutic link" : "active therapeutic link", justification);
    }

    /**
     * Whether the audit trail answer shows break-the-glass justifications to this caller: the patient himself only
     * (they can name other people and conditions). The hook for representatives (docs/domain.md, R8): a representative reads the
     * trail (decided in {@code decideForCitizen}) but not these texts, unless this method says otherwise.
     */
    public static boolean showsBreakTheGlassTexts(Professional caller, String patientSsin) {
        return caller != null && caller.isPatient() && caller.ssin() != null && patientSsin != null
                && Ssin.isValid(patientSsin) && Ssin.parse(patientSsin).equals(caller.ssin());
    }

    private AccessDecision decideForCitizen(AccessRequest request, Professional caller, Ssin patient, LocalDate day) {
        AccessReason basis = AccessReason.PATIENT_HIMSELF;
        if (!patient.equals(caller.ssin())) {
            Optional<AccessReason> representation = caller.ssin() == null ? Optional.empty()
                    : representatives.decide(caller.ssin().value(), patient.value(), day);
            if (representation.isEmpty()) {
                return AccessDecision.deny(AccessReason.NOT_THE_PATIENT,
                        "a citizen may only consult his own data or that of a person he represents");
            }
            if (representation.get() != AccessReason.REPRESENTATIVE) {
                return AccessDecision.deny(AccessReason.NOT_A_REPRESENTATIVE, "the registration for this patient does"
                        + " not hold (a child from " + representatives.parentMaxAge() + " on, or an ended mandate)");
            }
            basis = AccessReason.REPRESENTATIVE;
        }
        if (request.action() != AccessAction.AUDIT_TRAIL && !consentActive(patient, day)) {
            return AccessDecision.deny(AccessReason.NO_CONSENT, "the patient has no active consent to sharing");
        }
        return AccessDecision.allow(basis, basis == AccessReason.REPRESENTATIVE ? "a representative of the patient"
                : "the patient himself", null);
    }

    private boolean consentActive(Ssin patient, LocalDate day) {
        return facts.consent(patient.value()).map(c -> c.activeOn(day)).orElse(false);
    }
}
