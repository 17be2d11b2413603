package be.recordbroker.kmehr;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Supplier;

import jakarta.xml.ws.WebServiceException;

import be.fgov.ehealth.hubservices.core.v3.AcknowledgeType;
import be.fgov.ehealth.hubservices.core.v3.DeclareTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.FolderType;
import be.fgov.ehealth.hubservices.core.v3.KmehrHeaderDeclareTransactionType;
import be.fgov.ehealth.hubservices.core.v3.PutPatientRequestType;
import be.fgov.ehealth.hubservices.core.v3.RevokeTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.SelectRevokeTransactionType;
import be.fgov.ehealth.hubservices.core.v3.TransactionBaseType;
import be.fgov.ehealth.hubservices.core.v3.TransactionSummaryType;
import be.fgov.ehealth.standards.kmehr.schema.v1.AuthorType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.fgov.ehealth.standards.kmehr.schema.v1.PersonType;
import be.fgov.ehealth.standards.kmehr.schema.v1.ErrorType;
import be.recordbroker.domain.DocumentDeclaration;
import be.recordbroker.domain.Hub;
import be.recordbroker.network.Network;

/**
 * Declares documents at a hub by reference (IntraHub DeclareTransaction: a transaction summary with no content),
 * revokes them, and registers patients (PutPatient), through the hub client. What the broker knows of the content is
 * carried as LOCAL ids and codes that real hubs keep as they are: {@link Kmehr#SL_SHA256}, {@link Kmehr#SL_SIZE},
 * {@link Kmehr#SL_SOURCE} and a {@link Kmehr#SL_MEDIATYPE} code.
 */
public class HubDeclarer {

    private final HubClients clients;
    private final Network network;
    private final Clock clock;

    public HubDeclarer(HubClients clients, Network network, Clock clock) {
        this.clients = clients;
        this.network = network;
        this.clock = clock;
    }

    public void declare(String hubCode, DocumentDeclaration d) {
        Hub hub = network.requireHub(hubCode);
        TransactionSummaryType t = new TransactionSummaryType();
        t.getId().add(Kmehr.idKmehr("1"));
        t.getId().add(Kmehr.localId(hub.sourceLabel(), d.localId()));
        if (d.content() != null) {
            t.getId().add(Kmehr.localId(Kmehr.SL_SHA256, d.content().sha256()));
            t.getId().add(Kmehr.localId(Kmehr.SL_SIZE, Long.toString(d.content().size())));
        }
        if (d.sourcePointer() != null) {
            t.getId().add(Kmehr.localId(Kmehr.SL_SOURCE, d.sourcePointer()));
        }
        t.getCd().add(Kmehr.cdTransaction(d.type()));
        t.getCd().add(Kmehr.localTransactionCode(d.hospitalFacility() + "-DOCTYPE", d.type(), d.title()));
        if (d.content() != null) {
            t.getCd().add(Kmehr.localTransactionCode(Kmehr.SL_MEDIATYPE, d.content().mimeType(), null));
        }
        OffsetDateTime when = d.dateTime().atZoneSameInstant(ZoneId.systemDefault()).toOffsetDateTime();
        t.setDate(Kmehr.date(when.toLocalDate()));
        t.setTime(Kmehr.time(when.toLocalTime()));
        AuthorType author = new AuthorType();
        if (d.author() != null && d.author().nihii() != null) {
            author.getHcparty().add(Kmehr.professionalParty(d.author().nihii(), null, "persphysician",
                    d.author().givenName(), d.author().familyName()));
        }
        author.getHcparty().add(Kmehr.organisationParty(d.hospitalNihii(), "orghospital", d.hospitalName()));
        t.setAuthor(author);
        t.setIscomplete(true);
        t.setIsvalidated(true);
        t.setRecorddatetime(Kmehr.dateTime(OffsetDateTime.now(clock)));

        FolderType folder = new FolderType();
        folder.setPatient(Kmehr.patient(d.patient().value()));
        folder.setTransaction(t);
        KmehrHeaderDeclareTransactionType header = new KmehrHeaderDeclareTransactionType();
        header.setFolder(folder);
        DeclareTransactionRequestType request = new DeclareTransactionRequestType();
        request.setRequest(Kmehr.request(self(d), OffsetDateTime.now(clock)));
        request.setKmehrheader(header);
        call(hubCode, "DeclareTransaction", () -> clients.hub(hubCode).declareTransaction(request).getAcknowledge());
    }

    public void revoke(String hubCode, String patientSsin, String localId, String hospitalNihii, String hospitalName) {
        Hub hub = network.requireHub(hubCode);
        RevokeTransactionRequestType request = new RevokeTransactionRequestType();
        request.setRequest(Kmehr.request(Kmehr.organisationParty(hospitalNihii, "orghospital", hospitalName),
                OffsetDateTime.now(clock)));
        SelectRevokeTransactionType select = new SelectRevokeTransactionType();
        select.setPatient(Kmehr.patient(patientSsin));
        TransactionBaseType transaction = new TransactionBaseType();
        transaction.setId(Kmehr.localId(hub.sourceLabel(), localId));
        select.setTransaction(transaction);
        request.setSelect(select);
        call(hubCode, "RevokeTransaction", () -> clients.hub(hubCode).revokeTransaction(request).getAcknowledge());
    }

    public void putPatient(String hubCode, PersonType patient, String hospitalNihii, String hospitalName) {
        PutPatientRequestType request = new PutPatientRequestType();
        request.setRequest(Kmehr.request(Kmehr.organisationParty(hospitalNihii, "orghospital", hospitalName),
                OffsetDateTime.now(clock)));
        request.setPatient(patient);
        call(hubCode, "PutPatient", () -> clients.hub(hubCode).putPatient(request).getAcknowledge());
    }

    private static HcpartyType self(DocumentDeclaration d) {
        return Kmehr.organisationParty(d.hospitalNihii(), "orghospital", d.hospitalName());
    }

    /** Runs one hub call and sorts its failure into transient (retry) or permanent (dead-letter at once). */
    private static void call(String hub, String operation, Supplier<AcknowledgeType> invocation) {
        AcknowledgeType ack;
        try {
            ack = invocation.get();
        } catch (WebServiceException e) {
            throw new HubCallException(hub, false, operation + " at hub " + hub + " failed: " + rootMessage(e), e);
        } catch (RuntimeException e) {
            throw new HubCallException(hub, false, operation + " at hub " + hub + " failed: " + e.getClass().getSimpleName(), e);
        }
        if (ack == null) {
            throw new HubCallException(hub, false, operation + " at hub " + hub + ": no acknowledgement", null);
        }
        if (!ack.isIscomplete()) {
            throw new HubCallException(hub, true, operation + " rejected by hub " + hub + ": " + describe(ack.getError()),
                    null);
        }
    }

    private static String describe(List<ErrorType> errors) {
        if (errors.isEmpty()) {
            return "no error given";
        }
        ErrorType first = errors.get(0);
        String code = first.getCd().isEmpty() ? "?" : first.getCd().get(0).getValue();
        String text = first.getDescription() == null ? "" : first.getDescription().getValue();
        return code + " " + text;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
