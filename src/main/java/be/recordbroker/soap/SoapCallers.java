package be.recordbroker.soap;

import java.security.Principal;
import java.util.Optional;

import javax.security.auth.Subject;

import org.apache.camel.Exchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.web.RequestIds;

/**
 * The acting person of an IntraHub request: the first person among {@code request/author/hcparty} (NIHII as
 * ID-HCPARTY, SSIN as INSS, profession as CD-HCPARTY, name). Trusted only because the software that sent it was
 * authenticated at transport level (client certificate, or Basic in the sandbox: {@code config.SecurityConfiguration})
 * and may speak for that person ({@code security.SoapCallerRegistry}, checked by {@code SoapCallerCheck}).
 */
public final class SoapCallers {

    /** The exchange property holding the authenticated SOAP caller's name (set first thing by the SOAP route). */
    public static final String CLIENT_PROPERTY = "record-broker.soap-client";

    /**
     * The authenticated software that sent this SOAP request, for the audit row: the exchange property when the
     * route has set it, else the principal camel-cxf took from the servlet request (Spring Security's
     * authentication), else the request thread's security context; null when none.
     */
    public static String clientOf(Exchange exchange) {
        String known = exchange.getProperty(CLIENT_PROPERTY, String.class);
        if (known != null) {
            return known;
        }
        Subject subject = exchange.getIn().getHeader(Exchange.AUTHENTICATION, Subject.class);
        if (subject != null) {
            for (Principal principal : subject.getPrincipals()) {
                if (principal instanceof Authentication a && a.isAuthenticated()) {
                    return a.getName();
                }
            }
        }
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        return current != null && current.isAuthenticated() && current.getAuthorities().stream()
                .anyMatch(g -> "ROLE_soap_caller".equals(g.getAuthority())) ? current.getName() : null;
    }

    private SoapCallers() {
    }

    /** The request's own id ({@code request/id}) when it has one, else a new one (for the audit trail and logs). */
    public static String requestIdOf(RequestType request) {
        return request != null && request.getId() != null && request.getId().getValue() != null
                ? request.getId().getValue() : RequestIds.newId();
    }

    /** Empty when the request names no usable person (the gate then answers UNAUTHENTICATED). */
    public static Optional<Professional> actingPerson(RequestType request, NihiiValidation nihiiValidation) {
        if (request == null) {
            return Optional.empty();
        }
        Optional<HcpartyType> party = Kmehr.professionalOf(request.getAuthor());
        if (party.isEmpty()) {
            return Optional.empty();
        }
        HcpartyType p = party.get();
        try {
            String profession = Kmehr.cdOf(p).orElseThrow();
            Ssin ssin = Kmehr.idOf(p, IDHCPARTYschemes.INSS).map(Ssin::parse).orElse(null);
            Nihii nihii = Kmehr.idOf(p, IDHCPARTYschemes.ID_HCPARTY).map(n -> Nihii.parse(n, nihiiValidation)).orElse(null);
            String name = p.getName() != null && !p.getName().isBlank() ? p.getName()
                    : String.join(" ", p.getFirstname() == null ? "" : p.getFirstname(),
                    p.getFamilyname() == null ? "" : p.getFamilyname()).strip();
            return Optional.of(new Professional(Professional.PATIENT.equals(profession) ? null : nihii, ssin, profession,
                    name.isEmpty() ? profession : name));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
