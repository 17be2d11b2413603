package be.recordbroker.kmehr;

import java.util.Optional;

import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;
import be.recordbroker.rest.RequestIds;

/**
 * The acting person of an IntraHub request: the first person among {@code request/author/hcparty} (NIHII as
 * ID-HCPARTY, SSIN as INSS, profession as CD-HCPARTY, name). Trusted only because the software that sent it was
 * authenticated at transport level (see {@code SoapCallerAuthenticationFilter}).
 */
public final class SoapCallers {

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
