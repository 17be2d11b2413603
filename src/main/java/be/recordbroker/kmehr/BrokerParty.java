package be.recordbroker.kmehr;

import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;

/**
 * The broker's own party: ID-HCPARTY {@code record-broker.access.application-id} with CD-HCPARTY {@code application},
 * author of the requests it sends to hubs and the metahub and of its own SOAP answers. One bean
 * ({@code config.AccessConfiguration}), never modified once made: the requests built with it share it.
 */
public record BrokerParty(HcpartyType hcparty) {

    public static BrokerParty of(String applicationId) {
        return new BrokerParty(Kmehr.applicationParty(applicationId, "record-broker"));
    }
}
