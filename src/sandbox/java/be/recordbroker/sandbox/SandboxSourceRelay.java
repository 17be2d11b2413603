package be.recordbroker.sandbox;

import java.time.Duration;
import java.time.OffsetDateTime;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.GetTransactionResponseType;
import be.fgov.ehealth.hubservices.core.v3.SelectGetTransactionType;
import be.fgov.ehealth.hubservices.core.v3.TransactionBaseType;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.fgov.ehealth.standards.kmehr.schema.v1.KmehrmessageType;
import be.recordbroker.domain.Hub;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.LocalServerAddress;

/** How a sandbox hub relays GetTransaction to a hospital whose document source speaks SOAP (IntraHub GetTransaction). */
final class SandboxSourceRelay {

    private SandboxSourceRelay() {
    }

    static KmehrmessageType fromSoapSource(SandboxSeed.SeedHospital hospital, SandboxWorld.StoredDocument d, Hub hub,
                                           LocalServerAddress addresses,
                                           org.apache.cxf.annotations.SchemaValidation.SchemaValidationType validation) {
        IntraHubPortType source = HubClients.create(IntraHubPortType.class,
                addresses.resolve("/sandbox/hospitals/" + hospital.facilityId() + "/kmehr"),
                new HttpEndpoint("", Duration.ofSeconds(2), Duration.ofSeconds(30)), validation);
        GetTransactionRequestType request = new GetTransactionRequestType();
        request.setRequest(Kmehr.request(Kmehr.hubParty(hub), OffsetDateTime.now()));
        SelectGetTransactionType select = new SelectGetTransactionType();
        select.setPatient(Kmehr.patient(d.patient()));
        TransactionBaseType transaction = new TransactionBaseType();
        transaction.setId(Kmehr.localId(d.sourceLabel(), d.localId()));
        select.setTransaction(transaction);
        request.setSelect(select);
        GetTransactionResponseType response = source.getTransaction(request);
        if (response.getAcknowledge() == null || !response.getAcknowledge().isIscomplete()
                || response.getKmehrmessage() == null) {
            throw new IllegalStateException("source " + hospital.facilityId() + " returned no KMEHR message");
        }
        return response.getKmehrmessage();
    }
}
