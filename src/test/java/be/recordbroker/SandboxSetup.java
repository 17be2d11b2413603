package be.recordbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import be.fgov.ehealth.hubservices.core.v3.AccessRightType;
import be.fgov.ehealth.hubservices.core.v3.ConsentType;
import be.fgov.ehealth.hubservices.core.v3.DeclareTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.FolderType;
import be.fgov.ehealth.hubservices.core.v3.HCPartyIdType;
import be.fgov.ehealth.hubservices.core.v3.KmehrHeaderDeclareTransactionType;
import be.fgov.ehealth.hubservices.core.v3.PutAccessRightRequestType;
import be.fgov.ehealth.hubservices.core.v3.PutPatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.PutTherapeuticLinkRequestType;
import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.hubservices.core.v3.RevokePatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.TherapeuticLinkType;
import be.fgov.ehealth.hubservices.core.v3.TransactionSummaryType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINK;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINKschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.metahub.v1.PutTherapeuticExclusionRequestType;
import be.recordbroker.metahub.v1.TherapeuticExclusionType;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import be.recordbroker.sandbox.SandboxFaults;

/**
 * Sets up a test's own facts in the sandbox network through the hubs' and the metahub's SOAP operations, as a real
 * hub client would: consent, therapeutic links, exclusions, declarations, access rights. Used by the end-to-end tests
 * and the benchmarks.
 */
public final class SandboxSetup {

    private final HubClients clients;
    private final be.recordbroker.network.Network network;

    /** Each hub's port by its code: the broker's clients, or (overHttp) ports on a sandbox in another process. */
    private final java.util.function.Function<String, be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType> hubs;

    public SandboxSetup(HubClients clients, be.recordbroker.network.Network network) {
        this.clients = clients;
        this.network = network;
        this.hubs = code -> clients.hub(code);
    }

    private SandboxSetup(java.util.function.Function<String, be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType>
                                 hubs) {
        this.clients = null;
        this.network = null;
        this.hubs = hubs;
    }

    /**
     * The hubs' operations (consent, links) on a sandbox network running in another process at {@code sandboxBase}
     * (e.g. http://127.0.0.1:8080), as config/network.yaml addresses them; the metahub and declarations are not.
     */
    public static SandboxSetup overHttp(String sandboxBase) {
        be.recordbroker.network.HttpEndpoint timeouts = new be.recordbroker.network.HttpEndpoint(sandboxBase,
                Duration.ofSeconds(10), Duration.ofSeconds(60));
        return new SandboxSetup(code -> HubClients.create(be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType.class,
                URI.create(sandboxBase + "/sandbox/hubs/" + code + "/intrahub/v3"), timeouts));
    }

    public static RequestType hubRequest() {
        return Kmehr.request(Kmehr.professionalParty("12345625004", null, "persphysician", "An", "Verstraeten"), OffsetDateTime.now());
    }

    public void consent(String patient) {
        PutPatientConsentRequestType put = new PutPatientConsentRequestType();
        put.setRequest(hubRequest());
        ConsentType consent = new ConsentType();
        consent.setPatient(Kmehr.patient(patient));
        CDCONSENT cd = new CDCONSENT();
        cd.setS(CDCONSENTschemes.CD_CONSENTTYPE);
        cd.setSV("1.0");
        cd.setValue(CDCONSENTvalues.RETROSPECTIVE);
        consent.getCd().add(cd);
        consent.setSigndate(Kmehr.date(LocalDate.now().minusYears(1)));
        put.setConsent(consent);
        assertThat(hubs.apply("cozo").putPatientConsent(put).getAcknowledge().isIscomplete()).isTrue();
    }

    public void revokeConsent(String patient) {
        RevokePatientConsentRequestType revoke = new RevokePatientConsentRequestType();
        revoke.setRequest(hubRequest());
        ConsentType consent = new ConsentType();
        consent.setPatient(Kmehr.patient(patient));
        // the schema requires the consent type on a revocation too
        be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT revoked = new be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT();
        revoked.setS(be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTschemes.CD_CONSENTTYPE);
        revoked.setSV("1.0");
        revoked.setValue(be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTvalues.RETROSPECTIVE);
        consent.getCd().add(revoked);
        consent.setRevokedate(Kmehr.date(LocalDate.now().minusDays(1)));
        revoke.setConsent(consent);
        assertThat(hubs.apply("rsw").revokePatientConsent(revoke).getAcknowledge().isIscomplete()).isTrue();
    }

    public void link(String patient, String nihii, String type, LocalDate start) {
        PutTherapeuticLinkRequestType put = new PutTherapeuticLinkRequestType();
        put.setRequest(hubRequest());
        TherapeuticLinkType link = new TherapeuticLinkType();
        link.setPatient(Kmehr.patient(patient));
        HCPartyIdType party = new HCPartyIdType();
        party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nihii));
        link.setHcparty(party);
        CDTHERAPEUTICLINK cd = new CDTHERAPEUTICLINK();
        cd.setS(CDTHERAPEUTICLINKschemes.CD_THERAPEUTICLINKTYPE);
        cd.setSV("1.0");
        cd.setValue(type);
        link.setCd(cd);
        link.setStartdate(Kmehr.date(start));
        put.setTherapeuticlink(link);
        assertThat(hubs.apply("rsb").putTherapeuticLink(put).getAcknowledge().isIscomplete()).isTrue();
    }

    public void exclude(String patient, String nihii) {
        TherapeuticExclusionType exclusion = new TherapeuticExclusionType();
        exclusion.setPatient(Kmehr.patient(patient));
        exclusion.setHcparty(Kmehr.professionalParty(nihii, null, "persphysician", null, null));
        PutTherapeuticExclusionRequestType put = new PutTherapeuticExclusionRequestType();
        put.setRequest(hubRequest());
        put.setTherapeuticexclusion(exclusion);
        assertThat(clients.metahub().putTherapeuticExclusion(put).getAcknowledge().isIscomplete()).isTrue();
    }

    public be.fgov.ehealth.hubservices.core.v3.TransactionIdType declare(String patient, String localId, String type) {
        return declare("rsb", patient, localId, type, null);
    }

    /** Declares a document of the Brussels sandbox hospital at a hub (by reference), with its content hash if given. */
    public be.fgov.ehealth.hubservices.core.v3.TransactionIdType declare(String hub, String patient, String localId,
                                                                          String type, String sha256) {
        DeclareTransactionRequestType declare = new DeclareTransactionRequestType();
        declare.setRequest(hubRequest());
        FolderType folder = new FolderType();
        folder.setPatient(Kmehr.patient(patient));
        TransactionSummaryType summary = new TransactionSummaryType();
        summary.getId().add(Kmehr.localId(network.requireHub(hub).sourceLabel(), localId));
        if (sha256 != null) {
            summary.getId().add(Kmehr.localId(Kmehr.SL_SHA256, sha256));
        }
        summary.getCd().add(Kmehr.cdTransaction(type));
        summary.setDate(Kmehr.date(LocalDate.now()));
        summary.setTime(Kmehr.time(java.time.LocalTime.NOON));
        summary.setAuthor(Kmehr.author(Kmehr.professionalParty("12345625004", null, "persphysician", "An", "Verstraeten"),
                Kmehr.organisationParty("71000040", "orghospital", "Sandbox Hospital Brussels")));
        summary.setIscomplete(true);
        summary.setIsvalidated(true);
        summary.setRecorddatetime(Kmehr.dateTime(OffsetDateTime.now()));
        folder.setTransaction(summary);
        KmehrHeaderDeclareTransactionType header = new KmehrHeaderDeclareTransactionType();
        header.setFolder(folder);
        declare.setKmehrheader(header);
        var declared = hubs.apply(hub).declareTransaction(declare);
        assertThat(declared.getAcknowledge().isIscomplete()).isTrue();
        return declared.getTransaction();
    }

    public void hide(be.fgov.ehealth.hubservices.core.v3.TransactionIdType transaction, String nihii) {
        PutAccessRightRequestType put = new PutAccessRightRequestType();
        put.setRequest(hubRequest());
        AccessRightType right = new AccessRightType();
        right.setTransaction(transaction);
        be.fgov.ehealth.hubservices.core.v3.HcpartyType party = new be.fgov.ehealth.hubservices.core.v3.HcpartyType();
        party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nihii));
        right.setHcparty(party);
        CDACCESSRIGHT cd = new CDACCESSRIGHT();
        cd.setS(CDACCESSRIGHTschemes.CD_ACCESSRIGHT);
        cd.setSV("1.0");
        cd.setValue(CDACCESSRIGHTvalues.DISALLOW);
        right.setCd(cd);
        put.setAccessright(right);
        assertThat(hubs.apply("rsb").putAccessRight(put).getAcknowledge().isIscomplete()).isTrue();
    }
}
