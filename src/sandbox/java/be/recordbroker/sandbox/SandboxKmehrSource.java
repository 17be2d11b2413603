package be.recordbroker.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.jws.WebService;

import be.fgov.ehealth.hubservices.core.v3.*;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDKMEHR;
import be.fgov.ehealth.standards.kmehr.schema.v1.PersonType;
import be.fgov.ehealth.standards.kmehr.schema.v1.TransactionType;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.kmehr.KmehrMessages;

/**
 * A sandbox hospital's SOAP document source: it answers IntraHub v3 GetTransaction with the document as KMEHR (its
 * own KMEHR as is; other content wrapped in a multimedia lnk). A source offers only that operation; the others are
 * answered with a SOAP fault.
 */
@WebService(serviceName = "IntraHubService", portName = "IntraHubPort",
        targetNamespace = "http://www.ehealth.fgov.be/hubservices/protocol/v3",
        endpointInterface = "be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType",
        wsdlLocation = "classpath:wsdl/intrahub-v3.wsdl")
class SandboxKmehrSource implements IntraHubPortType {

    private final SandboxSeed.SeedHospital hospital;
    private final SandboxNetwork network;
    private final Clock clock;

    SandboxKmehrSource(SandboxSeed.SeedHospital hospital, SandboxNetwork network, Clock clock) {
        this.hospital = hospital;
        this.network = network;
        this.clock = clock;
    }

    @Override
    public GetTransactionResponseType getTransaction(GetTransactionRequestType body) {
        GetTransactionResponseType out = new GetTransactionResponseType();
        be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType self =
                Kmehr.organisationParty(hospital.nihii(), "orghospital", hospital.name());
        OffsetDateTime now = OffsetDateTime.now(clock);
        out.setResponse(Kmehr.response(self, body.getRequest(), now));
        Optional<String> localId = body.getSelect() == null || body.getSelect().getTransaction() == null
                || body.getSelect().getTransaction().getId() == null ? Optional.empty()
                : Optional.of(body.getSelect().getTransaction().getId()).map(IDKMEHR::getValue);
        Optional<SandboxSources.SourceDocument> document = localId.flatMap(id -> network.sources().find(hospital.facilityId(), id));
        if (document.isEmpty()) {
            out.setAcknowledge(Kmehr.failed("unknown.transaction", "hospital " + hospital.facilityId()
                    + " holds no such document"));
            return out;
        }
        byte[] bytes = bytes(document.get());
        if (document.get().mimeType().startsWith("text/xml")) {
            out.setKmehrmessage(KmehrMessages.read(new java.io.ByteArrayInputStream(bytes)));
        } else {
            TransactionType transaction = new TransactionType();
            transaction.getId().add(Kmehr.idKmehr("1"));
            transaction.getId().add(body.getSelect().getTransaction().getId());
            transaction.setDate(Kmehr.date(now.toLocalDate()));
            transaction.setTime(Kmehr.time(now.toLocalTime()));
            transaction.setAuthor(Kmehr.author(self));
            transaction.setIscomplete(true);
            transaction.setIsvalidated(true);
            network.seededDocuments().stream().filter(d -> d.localId().equals(localId.get())).findFirst()
                    .ifPresent(d -> transaction.getCd().add(Kmehr.cdTransaction(d.type())));
            if (transaction.getCd().isEmpty()) { // the schema requires a type: the source's own, when it has no other
                transaction.getCd().add(Kmehr.localTransactionCode("SANDBOX-SOURCE", "document", null));
            }
            PersonType patient = Kmehr.person(Optional.ofNullable(body.getSelect().getPatient()).flatMap(Kmehr::ssinOf)
                    .orElse(""), null, null, null);
            out.setKmehrmessage(KmehrMessages.wrap(bytes, document.get().mimeType(), patient, transaction, self, self,
                    hospital.nihii() + "." + localId.get(), now));
        }
        out.setAcknowledge(Kmehr.complete());
        return out;
    }

    private static byte[] bytes(SandboxSources.SourceDocument document) {
        if (document.size() > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("a SOAP source does not inline documents over 64 MB");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) document.size());
        try {
            document.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static RuntimeException notOffered() {
        return new UnsupportedOperationException("a hospital document source offers only GetTransaction");
    }

    @Override public GetPatientConsentResponseType getPatientConsent(GetPatientConsentRequestType body) { throw notOffered(); }
    @Override public PutPatientConsentResponseType putPatientConsent(PutPatientConsentRequestType body) { throw notOffered(); }
    @Override public RevokePatientConsentResponseType revokePatientConsent(RevokePatientConsentRequestType body) { throw notOffered(); }
    @Override public GetTransactionListResponseType getTransactionList(GetTransactionListRequestType body) { throw notOffered(); }
    @Override public GetPatientAuditTrailResponseType getPatientAuditTrail(GetPatientAuditTrailRequestType body) { throw notOffered(); }
    @Override public PutTransactionResponseType putTransaction(PutTransactionRequestType body) { throw notOffered(); }
    @Override public DeclareTransactionResponseType declareTransaction(DeclareTransactionRequestType body) { throw notOffered(); }
    @Override public GetAccessRightResponseType getAccessRight(GetAccessRightRequestType body) { throw notOffered(); }
    @Override public GetTherapeuticLinkResponseType getTherapeuticLink(GetTherapeuticLinkRequestType body) { throw notOffered(); }
    @Override public RevokeAccessRightResponseType revokeAccessRight(RevokeAccessRightRequestType body) { throw notOffered(); }
    @Override public GetPatientResponseType getPatient(GetPatientRequestType body) { throw notOffered(); }
    @Override public RevokeTherapeuticLinkResponseType revokeTherapeuticLink(RevokeTherapeuticLinkRequestType body) { throw notOffered(); }
    @Override public PutAccessRightResponseType putAccessRight(PutAccessRightRequestType body) { throw notOffered(); }
    @Override public RevokeTransactionResponseType revokeTransaction(RevokeTransactionRequestType body) { throw notOffered(); }
    @Override public PutPatientResponseType putPatient(PutPatientRequestType body) { throw notOffered(); }
    @Override public PutTherapeuticLinkResponseType putTherapeuticLink(PutTherapeuticLinkRequestType body) { throw notOffered(); }
}
