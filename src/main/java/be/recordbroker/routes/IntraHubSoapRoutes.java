package be.recordbroker.routes;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.cxf.binding.soap.SoapFault;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import be.fgov.ehealth.hubservices.core.v3.GetPatientAuditTrailRequestType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessGate;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.admission.Admission;
import be.recordbroker.admission.Admissions;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.kmehr.BrokerParty;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;
import be.recordbroker.soap.AuditTrailSoap;
import be.recordbroker.soap.OverloadedFault;
import be.recordbroker.soap.SoapCallerCheck;
import be.recordbroker.soap.SoapCallers;
import be.recordbroker.security.SoapCallerRegistry;
import be.recordbroker.audit.GroupCommitAuditor;
import be.recordbroker.soap.SoapInput;

/**
 * The broker's IntraHub v3 SOAP face at {@code /services/intrahub/v3} (camel-cxf, POJO): one route per operation,
 * dispatched on the operation name. GetPatientAuditTrail goes through the gate and the audit trail like its REST twin;
 * GetTransactionList and GetTransaction come with federated search and retrieval; any other operation is a hub's
 * own business and gets a SOAP fault. Every operation first passes {@link SoapCallerCheck} (whom the caller may speak
 * for).
 */
@Component
public class IntraHubSoapRoutes extends RouteBuilder {

    private static final int MAX_ENTRIES = 1000;

    private final AuditedAccessGate gate;
    private final JdbcAuditTrail trail;
    private final Clock clock;
    private final NihiiValidation nihiiValidation;
    private final ZoneId zone;
    private final HcpartyType self;
    private final SoapCallerCheck callerCheck;
    /** The search lane (issue 13): GetPatientAuditTrail takes a place like the other faces' audit views. */
    private final Admission admission;

    public IntraHubSoapRoutes(AuditedAccessGate gate, JdbcAuditTrail trail, Clock clock, BrokerParty self,
                              @Value("${record-broker.access.zone:Europe/Brussels}") String zone,
                              @Value("${record-broker.nihii-validation:lenient}") String nihiiValidation,
                              SoapCallerRegistry callers, GroupCommitAuditor auditor, Admissions admissions) {
        this.gate = gate;
        this.admission = admissions.search();
        this.trail = trail;
        this.clock = clock;
        this.nihiiValidation = NihiiValidation.valueOf(nihiiValidation.toUpperCase(Locale.ROOT));
        this.zone = ZoneId.of(zone);
        this.self = self.hcparty();
        this.callerCheck = new SoapCallerCheck(callers, auditor, this.nihiiValidation, clock);
    }

    @Override
    public void configure() {
        // a SoapFault is the face's answer (a refused, invalid or overloaded request), which CXF writes; Camel's error
        // handler would log each one at ERROR with its stack trace, so a flood of refusals became a flood of ERROR
        // lines. Any other exception is still logged, and SoapFaultSanitizer logs what a fault hides with its trace id
        onException(SoapFault.class).handled(false).logExhausted(false);

        from("cxf:bean:brokerIntraHub").routeId("soap-intrahub")
                .process(callerCheck)
                .choice()
                    .when(header(CxfConstants.OPERATION_NAME).isEqualTo("GetPatientAuditTrail"))
                        .to("direct:soap-get-patient-audit-trail")
                    .when(header(CxfConstants.OPERATION_NAME).isEqualTo("GetTransactionList"))
                        .to("direct:soap-get-transaction-list")
                    .when(header(CxfConstants.OPERATION_NAME).isEqualTo("GetTransaction"))
                        .to("direct:soap-get-transaction")
                    .otherwise()
                        .process(e -> {
                            throw new SoapFault("operation " + e.getMessage().getHeader(CxfConstants.OPERATION_NAME)
                                    + " is not offered by record-broker", SoapFault.FAULT_CODE_CLIENT);
                        })
                .end();

        from("direct:soap-get-patient-audit-trail").routeId("soap-get-patient-audit-trail")
                .process(this::getPatientAuditTrail);
    }

    private void getPatientAuditTrail(Exchange exchange) {
        GetPatientAuditTrailRequestType request = exchange.getMessage().getBody(GetPatientAuditTrailRequestType.class);
        if (request == null) {
            throw new SoapFault("GetPatientAuditTrail needs a request body", SoapFault.FAULT_CODE_CLIENT);
        }
        try {
            SoapInput.check(request); // before the gate: a bad value never reaches it nor the audit trail
        } catch (InputRules.InvalidInputException e) {
            throw SoapInput.fault(e);
        }
        Professional caller = SoapCallers.actingPerson(request.getRequest(), nihiiValidation).orElse(null);
        String ssin = AuditTrailSoap.patientOf(request);
        String requestId = SoapCallers.requestIdOf(request.getRequest());
        // admitted before the gate: a refused read leaves no audit row (nothing was looked at)
        Admission.Permit permit;
        try {
            permit = admission.enter("soap");
        } catch (Admission.Overloaded e) {
            throw new OverloadedFault(e, requestId);
        }
        try (permit) {
            answerAuditTrail(exchange, request, caller, ssin, requestId);
        }
    }

    private void answerAuditTrail(Exchange exchange, GetPatientAuditTrailRequestType request, Professional caller,
                                  String ssin, String requestId) {
        AccessDecision decision = gate.decide(new AccessRequest(caller, ssin, AccessAction.AUDIT_TRAIL, null, null,
                AuditTrailSoap.breakTheGlassOf(request), "soap", requestId, clock.instant(), SoapCallers.clientOf(exchange)));
        OffsetDateTime now = OffsetDateTime.now(clock);
        exchange.getMessage().setBody(decision.allowed()
                ? AuditTrailSoap.trail(request, self, trail.forPatient(Ssin.parse(ssin).value(), MAX_ENTRIES, 0), now, zone,
                        AccessGate.showsBreakTheGlassTexts(caller, ssin))
                : AuditTrailSoap.denied(request, self, decision, now));
    }
}
