package be.recordbroker.fhir;

import java.time.Clock;
import java.util.Date;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessGate;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.admission.Admission;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;
import be.recordbroker.security.RestCaller;
import be.recordbroker.security.CallerAuthentication;

/**
 * The patient's audit trail as R4 AuditEvents: {@code GET /fhir/AuditEvent?patient.identifier=<ssin system>|<ssin>}.
 * The same rules as the REST audit view ({@code routes.AuditTrailRoutes}): the gate decides {@code audit-trail}
 * (the patient and his representatives only; a professional gets 403 {@code AUDIT_TRAIL_PATIENT_ONLY}) and records the
 * read before any row is returned; break-the-glass texts are shown to the patient himself only. It holds a place of the
 * search lane while it works (503 {@code OVERLOADED} with {@code Retry-After} when there is none), so a flood of trail
 * reads cannot take every thread and database connection from the searches (docs/search.md "Admission control").
 */
public class AuditEventProvider implements IResourceProvider {

    static final int DEFAULT_COUNT = 100;
    static final int MAX_COUNT = 1000;
    private static final String ACTION_SYSTEM = "urn:record-broker:action";

    private final AuditedAccessGate gate;
    private final JdbcAuditTrail trail;
    /** The search lane (issue 13), shared with the searches and the other faces' audit views. */
    private final Admission admission;
    private final Clock clock;
    private final PageLinks links;

    public AuditEventProvider(AuditedAccessGate gate, JdbcAuditTrail trail, Admission admission, Clock clock,
                              PageLinks links) {
        this.links = links;
        this.gate = gate;
        this.trail = trail;
        this.admission = admission;
        this.clock = clock;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Search(allowUnknownParams = false)
    public Bundle trail(
            @RequiredParam(name = AuditEvent.SP_PATIENT, chainWhitelist = {"identifier"}) ReferenceParam patient,
            @Count Integer count, @Offset Integer offset, HttpServletRequest http, RequestDetails details) {
        String requestId = details.getRequestId();
        String ssin;
        int limit;
        int first;
        String breakTheGlass;
        try {
            ssin = FhirSearchInput.patientSsin(patient);
            limit = InputRules.bounded("_count", count == null ? DEFAULT_COUNT : count, 1, MAX_COUNT);
            first = InputRules.bounded("_offset", offset == null ? 0 : offset, 0,
                    FhirSearchInput.MAX_OFFSET);
            breakTheGlass = InputRules.text(RestCaller.BREAK_THE_GLASS_HEADER,
                    http.getHeader(RestCaller.BREAK_THE_GLASS_HEADER), InputRules.MAX_BREAK_THE_GLASS);
        } catch (InputRules.InvalidInputException e) {
            throw FhirOutcomes.refusal(400, "INVALID_PARAMETER", e.getMessage(), requestId);
        }
        try (Admission.Permit permit = FhirOutcomes.admitted(admission, requestId)) {
            return trailAdmitted(ssin, limit, first, breakTheGlass, requestId, details);
        }
    }

    private Bundle trailAdmitted(String ssin, int limit, int first, String breakTheGlass, String requestId,
                                RequestDetails details) {
        CallerAuthentication who = RestCaller.current();
        Professional caller = who == null ? null : who.caller();
        AccessDecision decision = gate.decide(new AccessRequest(caller, ssin, AccessAction.AUDIT_TRAIL, null, null,
                breakTheGlass, "fhir", requestId, clock.instant(), who == null ? null : who.client()));
        if (!decision.allowed()) {
            throw DocumentReferenceProvider.denied(decision, requestId);
        }
        String patientSsin = Ssin.parse(ssin).value();
        boolean showBreakTheGlass = AccessGate.showsBreakTheGlassTexts(caller, patientSsin);
        List<AuditEvent> events = trail.forPatient(patientSsin, limit, first).stream()
                .map(e -> auditEvent(e, showBreakTheGlass)).toList();
        // the trail's length is not counted (no total); a full page gets a next link
        return SearchPageBundle.of(events, null, null, events.size() == limit, first, limit, details, links);
    }

    static AuditEvent auditEvent(be.recordbroker.audit.AuditEvent e, boolean showBreakTheGlass) {
        AuditEvent event = new AuditEvent();
        event.setId(Long.toString(e.seq()));
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest",
                "Restful Operation"));
        event.addSubtype(new Coding(ACTION_SYSTEM, e.action(), null));
        event.setAction("read".equals(e.action()) ? AuditEventAction.R : AuditEventAction.E);
        event.setRecorded(Date.from(e.recordedAt()));
        boolean allowed = be.recordbroker.audit.AuditEvent.ALLOW.equals(e.decision());
        event.setOutcome(allowed ? AuditEventOutcome._0 : AuditEventOutcome._4);
        event.setOutcomeDesc(e.reason());
        if (e.breakTheGlass() != null) {
            // the justification is shown to the patient himself only; others see that the glass was broken
            event.addPurposeOfEvent(new CodeableConcept()
                    .addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "ETREAT",
                            "Emergency Treatment"))
                    .setText(showBreakTheGlass ? e.breakTheGlass() : "(given)"));
        }
        AuditEvent.AuditEventAgentComponent actor = event.addAgent().setRequestor(true);
        Reference who = new Reference();
        if (e.actorNihii() != null) {
            who.setIdentifier(new Identifier().setSystem(DocumentReferences.NIHII_SYSTEM).setValue(e.actorNihii()));
        } else if (e.actorSsin() != null) {
            who.setIdentifier(new Identifier().setSystem(DocumentReferences.SSIN_SYSTEM).setValue(e.actorSsin()));
        }
        who.setDisplay(e.actorName());
        actor.setWho(who);
        if (e.actorProfession() != null) {
            actor.addRole(new CodeableConcept().setText(e.actorProfession()));
        }
        if (e.client() != null) {
            event.addAgent().setRequestor(false).setWho(new Reference().setDisplay(e.client()))
                    .setType(new CodeableConcept().addCoding(new Coding(
                            "http://terminology.hl7.org/CodeSystem/extra-security-role-type", "datacollector",
                            "data collector")).setText("calling software"));
        }
        event.getSource().setSite(e.face())
                .setObserver(new Reference().setDisplay("record-broker"))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
                        "Application Server"));
        if (e.patientSsin() != null) {
            event.addEntity()
                    .setWhat(new Reference().setIdentifier(new Identifier().setSystem(DocumentReferences.SSIN_SYSTEM)
                            .setValue(e.patientSsin())))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        }
        if (e.documentId() != null || e.query() != null) {
            AuditEvent.AuditEventEntityComponent what = event.addEntity();
            if (e.documentId() != null) {
                what.setWhat(new Reference().setIdentifier(new Identifier()
                        .setSystem(DocumentReferences.DOCUMENT_ID_SYSTEM).setValue(e.documentId())));
                what.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2",
                        "System Object"));
            }
            if (e.query() != null) {
                what.setDescription(e.query());
            }
        }
        event.addExtension(FhirOutcomes.REQUEST_ID_EXTENSION, new StringType(e.requestId()));
        return event;
    }
}
