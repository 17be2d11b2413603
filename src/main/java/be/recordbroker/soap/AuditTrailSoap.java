package be.recordbroker.soap;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailResponseType;
import be.fgov.ehealth.hubservices.core.v3.TransactionAccessListType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.audit.AuditEvent;
import be.recordbroker.kmehr.Kmehr;

/**
 * GetPatientAuditTrail on the broker's SOAP face: reads the request (patient, break-the-glass) and writes the answer —
 * the accesses that took place (allowed decisions; the IntraHub list has no field for refusals, the REST trail shows
 * them), or a failed acknowledgement whose error code is the gate's reason.
 */
public final class AuditTrailSoap {

    private AuditTrailSoap() {
    }

    /** The patient's SSIN as given in {@code select/patient}, or null. */
    public static String patientOf(GetPatientAuditTrailRequestType request) {
        return request.getSelect() == null ? null : Kmehr.ssinOf(request.getSelect().getPatient()).orElse(null);
    }

    /** The break-the-glass justification of the request header or the select, or null. */
    public static String breakTheGlassOf(GetPatientAuditTrailRequestType request) {
        if (request.getRequest() != null && request.getRequest().getBreaktheglass() != null) {
            return request.getRequest().getBreaktheglass();
        }
        return request.getSelect() == null ? null : request.getSelect().getBreaktheglass();
    }

    public static GetPatientAuditTrailResponseType denied(GetPatientAuditTrailRequestType request, HcpartyType broker,
                                                          AccessDecision decision, OffsetDateTime now) {
        GetPatientAuditTrailResponseType out = new GetPatientAuditTrailResponseType();
        out.setResponse(Kmehr.responseList(broker, request.getRequest(), now));
        out.setAcknowledge(Kmehr.failed(decision.reason().name(), decision.detail()));
        return out;
    }

    public static GetPatientAuditTrailResponseType trail(GetPatientAuditTrailRequestType request, HcpartyType broker,
                                                         List<AuditEvent> events, OffsetDateTime now, ZoneId zone,
                                                         boolean showBreakTheGlass) {
        GetPatientAuditTrailResponseType out = new GetPatientAuditTrailResponseType();
        out.setResponse(Kmehr.responseList(broker, request.getRequest(), now));
        TransactionAccessListType list = new TransactionAccessListType();
        for (AuditEvent e : events) {
            if (!AuditEvent.ALLOW.equals(e.decision())) {
                continue;
            }
            TransactionAccessListType.Transactionaccess access = new TransactionAccessListType.Transactionaccess();
            access.setPatient(Kmehr.patient(e.patientSsin()));
            access.getHcparty().add(Kmehr.professionalParty(e.actorNihii(), null,
                    e.actorProfession() == null ? "persphysician" : e.actorProfession(), null, null));
            if (e.actorName() != null) {
                access.getHcparty().get(0).setName(e.actorName());
            }
            access.setAccessdatetime(Kmehr.dateTime(e.recordedAt().atZone(zone).toOffsetDateTime()));
            // the justification is the patient's to read only; others see that the glass was broken
            access.setBreaktheglass(e.breakTheGlass() == null ? null : showBreakTheGlass ? e.breakTheGlass() : "(given)");
            list.getTransactionaccess().add(access);
        }
        out.setTransactionaccesslist(list);
        out.setAcknowledge(Kmehr.complete());
        return out;
    }
}
