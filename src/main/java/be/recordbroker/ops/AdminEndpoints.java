package be.recordbroker.ops;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import be.recordbroker.audit.ChainVerification;
import be.recordbroker.domain.InvalidIdentifierException;
import be.recordbroker.domain.Ssin;
import be.recordbroker.ingest.DeadLetters;
import be.recordbroker.search.PatientCaches;
import be.recordbroker.web.Problems;
import be.recordbroker.web.RequestIds;

/**
 * Ops' endpoints on the management server (role {@code ops}): the ingest dead letters ({@code GET
 * /api/v1/admin/dead-letters} lists them, metadata only, never content; {@code POST .../replay} and
 * {@code POST .../{id}/replay} put all or one back on the ingest queue) and the audit chain's verification
 * ({@code GET /api/v1/admin/audit/verify}: 200 intact, 409 broken with the first broken row, 429 {@code VERIFY_BUSY}
 * while another verification runs).
 */
@RestController
@Conditional(AdminManagementContextConfiguration.OnManagementContext.class)
@RequestMapping("/api/v1/admin")
public class AdminEndpoints {

    private final DeadLetters deadLetters;
    private final AuditVerifier verifier;
    private final ProducerTemplate producer;
    private final ObjectMapper json;

    public AdminEndpoints(DeadLetters deadLetters, AuditVerifier verifier, ProducerTemplate producer,
                          ObjectMapper json) {
        this.deadLetters = deadLetters;
        this.verifier = verifier;
        this.producer = producer;
        this.json = json;
    }

    /**
     * Forgets a patient's cached facts (consent, exclusions, links, hubs, representations) on every instance at once
     * (issue 14), e.g. after a hub's notice that a consent was revoked: the next request asks the hubs again. 200
     * when forgotten here and announced to the others; 503 {@code ANNOUNCE_FAILED} when only forgotten here.
     */
    @PostMapping("/patients/{ssin}/forget-facts")
    public void forgetFacts(@PathVariable("ssin") String ssin, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!Ssin.isValid(ssin)) {
            Problems.problem(response, json, 400, InvalidIdentifierException.INVALID_SSIN, "not a valid SSIN",
                    requestId(request));
            return;
        }
        String patient = Ssin.parse(ssin).value();
        try {
            producer.sendBody(PatientCaches.FORGET_EVERYWHERE, patient);
        } catch (CamelExecutionException e) {
            response.setHeader("Retry-After", "5");
            Problems.problem(response, json, 503, "ANNOUNCE_FAILED", "forgotten on this instance; the announcement"
                    + " to the other instances failed: call again", requestId(request));
            return;
        }
        json(response, 200, Map.of("forgotten", true, "announced", true));
    }

    @GetMapping("/dead-letters")
    public void list(HttpServletResponse response) throws IOException {
        json(response, 200, Map.of("deadLetters", deadLetters.list()));
    }

    @PostMapping("/dead-letters/replay")
    public void replayAll(HttpServletResponse response) throws IOException {
        json(response, 200, Map.of("replayed", deadLetters.replayAll()));
    }

    @PostMapping("/dead-letters/{id}/replay")
    public void replayOne(@PathVariable("id") String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (deadLetters.replay(id)) {
            json(response, 200, Map.of("replayed", 1));
        } else {
            Problems.problem(response, json, 404, "UNKNOWN_DEAD_LETTER", "no dead letter with that id",
                    requestId(request));
        }
    }

    @GetMapping("/audit/verify")
    public void verify(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ChainVerification result = verifier.verifyUnlessBusy();
        if (result == null) {
            response.setHeader("Retry-After", "5");
            Problems.problem(response, json, 429, "VERIFY_BUSY", "an audit verification is already running",
                    requestId(request));
            return;
        }
        json(response, result.intact() ? 200 : 409, result);
    }

    private static String requestId(HttpServletRequest request) {
        return RequestIds.of(request.getHeader(Problems.REQUEST_ID_HEADER));
    }

    private void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
