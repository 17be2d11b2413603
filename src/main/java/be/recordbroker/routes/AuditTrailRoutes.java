package be.recordbroker.routes;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

import be.recordbroker.access.AccessAction;
import be.recordbroker.access.AccessDecision;
import be.recordbroker.access.AccessGate;
import be.recordbroker.access.AccessRequest;
import be.recordbroker.access.AuditedAccessGate;
import be.recordbroker.audit.AuditEvent;
import be.recordbroker.audit.JdbcAuditTrail;
import be.recordbroker.domain.InputRules;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;
import be.recordbroker.web.Problems;
import be.recordbroker.security.RestCaller;
import be.recordbroker.rest.RestContract;
import be.recordbroker.web.RestInput;

/**
 * The audit trail on REST: {@code GET /api/v1/patients/{ssin}/audit} (the patient himself — and his representatives
 * once mandates land; a professional gets 403 {@code AUDIT_TRAIL_PATIENT_ONLY}; the read is itself audited before the
 * rows are returned; break-the-glass texts are shown to the patient only). The chain's verification is on the
 * management port ({@code ops.AdminEndpoints}).
 */
@Component
public class AuditTrailRoutes extends RouteBuilder {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AuditedAccessGate gate;
    private final JdbcAuditTrail trail;
    private final Clock clock;
    private final Problems problems;

    public AuditTrailRoutes(AuditedAccessGate gate, JdbcAuditTrail trail, Clock clock, Problems problems) {
        this.gate = gate;
        this.trail = trail;
        this.clock = clock;
        this.problems = problems;
    }

    @Override
    public void configure() {
        restConfiguration().bindingMode(RestBindingMode.off);

        // the REST DSL is also the OpenAPI contract's source (OpenApiRoutes; constraints in RestContract)
        RestDefinition audit = RestContract.patientRoute(rest("/api/v1/patients/{ssin}/audit")
                .get().id("rest-patient-audit").produces(RestContract.JSON)
                .description("The patient's audit trail: who accessed his record, when, and with which outcome (the"
                        + " patient himself and his representatives only; the read is itself audited)"))
                .param().name("limit").type(RestParamType.query).dataType("integer").required(false)
                    .defaultValue(Integer.toString(DEFAULT_LIMIT)).description("entries per answer").endParam()
                .param().name("offset").type(RestParamType.query).dataType("integer").required(false)
                    .defaultValue("0").description("entries to skip, newest first").endParam()
                .responseMessage().code(200).message("the trail's entries, newest first").endResponseMessage();
        RestContract.errors(audit, 400, 401, 403, 503).security(RestContract.BEARER)
                .to("direct:patient-audit-trail");

        from("direct:patient-audit-trail").routeId("patient-audit-trail")
                .process(this::patientAuditTrail);
    }

    private void patientAuditTrail(Exchange exchange) {
        var message = exchange.getMessage();
        RestCaller who = RestCaller.of(exchange);
        Professional caller = who.caller();
        String ssin = message.getHeader("ssin", String.class);
        int limit;
        int offset;
        try {
            // every parameter is checked before the gate: a bad value never reaches it nor the audit trail
            RestInput.common(message);
            limit = InputRules.integer("limit", message.getHeader("limit", String.class), DEFAULT_LIMIT, 1, MAX_LIMIT);
            offset = InputRules.integer("offset", message.getHeader("offset", String.class), 0, 0, Integer.MAX_VALUE);
        } catch (InputRules.InvalidInputException e) {
            problems.invalidParameter(exchange, e);
            return;
        }
        AccessDecision decision = gate.decide(new AccessRequest(caller, ssin, AccessAction.AUDIT_TRAIL, null, null,
                who.breakTheGlass(), "rest", who.requestId(), clock.instant(), who.client()));
        if (!decision.allowed()) {
            problems.denied(exchange, decision);
            return;
        }
        String patient = Ssin.parse(ssin).value();
        boolean showBreakTheGlass = AccessGate.showsBreakTheGlassTexts(caller, patient);
        List<Map<String, Object>> entries = trail.forPatient(patient, limit, offset).stream()
                .map(e -> entry(e, showBreakTheGlass)).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("patient", patient);
        body.put("limit", limit);
        body.put("offset", offset);
        body.put("entries", entries);
        problems.json(exchange, 200, body);
    }

    private static Map<String, Object> entry(AuditEvent e, boolean showBreakTheGlass) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("nihii", e.actorNihii());
        actor.put("profession", e.actorProfession());
        actor.put("name", e.actorName());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("seq", e.seq());
        entry.put("at", e.recordedAt().toString());
        entry.put("requestId", e.requestId());
        entry.put("face", e.face());
        entry.put("actor", actor);
        entry.put("action", e.action());
        entry.put("document", e.documentId());
        entry.put("query", e.query());
        entry.put("decision", e.decision());
        entry.put("reason", e.reason());
        // the justification is shown to the patient himself only; others see that the glass was broken
        entry.put("breakTheGlass", e.breakTheGlass() == null ? null : showBreakTheGlass ? e.breakTheGlass() : "(given)");
        return entry;
    }
}
