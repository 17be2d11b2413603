package be.recordbroker.retrieve;

import java.util.Optional;

import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.Hub;
import be.recordbroker.domain.InvalidIdentifierException;
import be.recordbroker.kmehr.HubCallException;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.kmehr.HubTransactionLists;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.Network;
import be.recordbroker.network.NetworkProperties;

/**
 * The first steps of a retrieval: decode the sealed document id (hub, patient, SL, local id: no lookup table), then,
 * once the gate allowed the caller for the patient, ask the document's hub for its entry — the CD-TRANSACTION type the matrix needs, and the author institution that tells
 * whether the source hospital is connected to the broker. A connected hospital is read from its own source; any other
 * document is asked of the hub, which relays to the hospital.
 */
public class DocumentLocator {

    private final Network network;
    private final HubTransactionLists lists;
    private final DocumentIdCodec documentIds;

    public DocumentLocator(Network network, HubTransactionLists lists, DocumentIdCodec documentIds) {
        this.network = network;
        this.lists = lists;
        this.documentIds = documentIds;
    }

    /**
     * Opens the sealed id: a forged, altered or foreign id stops here, before the gate and before any hub.
     *
     * @throws RetrievalFailure {@code INVALID_DOCUMENT_ID} for anything {@link DocumentIdCodec#decode} refuses
     */
    public Retrieval decode(Retrieval retrieval) {
        DocumentId id;
        try {
            id = documentIds.decode(retrieval.request().documentId());
        } catch (InvalidIdentifierException e) {
            throw new RetrievalFailure(RetrievalFailure.Reason.INVALID_DOCUMENT_ID, e.getMessage());
        }
        Hub hub = network.hubs().byEhpId(id.hubEhpId()).orElse(null); // unknown: answered by locate, after the gate's 401
        return retrieval.decoded(id, hub);
    }

    /**
     * Runs only after the patient-level gate allowed the caller ({@link RetrievalGate#authorisePatient}): no hub is
     * asked on behalf of somebody the gate refused. The hub hears the break-the-glass justification the gate validated
     * (and only when it is what allowed the access), never the raw text the caller sent.
     *
     * @throws RetrievalFailure {@code UNKNOWN_HUB}, {@code UNKNOWN_DOCUMENT}, or {@code FACTS_UNAVAILABLE} when the
     *                          hub cannot be asked
     */
    public Retrieval locate(Retrieval retrieval) {
        RetrieveRequest request = retrieval.request();
        if (request.caller() == null || retrieval.decision() == null || !retrieval.decision().allowed()) {
            throw new IllegalStateException("a document is located only for a caller the gate allowed");
        }
        DocumentId id = retrieval.id();
        if (retrieval.hub() == null) {
            throw new RetrievalFailure(RetrievalFailure.Reason.UNKNOWN_HUB,
                    "no hub with EHP id " + id.hubEhpId() + " in the network");
        }
        Optional<DocumentEntry> entry;
        try {
            entry = lists.find(id, Kmehr.actingParty(request.caller()), retrieval.decision().breakTheGlass());
        } catch (HubClients.UnknownHubException e) {
            throw new RetrievalFailure(RetrievalFailure.Reason.UNKNOWN_HUB, e.getMessage());
        } catch (HubCallException e) {
            throw new RetrievalFailure(RetrievalFailure.Reason.FACTS_UNAVAILABLE,
                    "hub " + e.hub() + " cannot be asked for the document: " + e.getMessage());
        }
        if (entry.isEmpty()) {
            throw new RetrievalFailure(RetrievalFailure.Reason.UNKNOWN_DOCUMENT,
                    "hub " + retrieval.hub().code() + " lists no such document for this patient");
        }
        Hospital hospital = entry.get().sourceHospital() == null ? null
                : network.hospital(entry.get().sourceHospital()).orElse(null);
        SourceRoute route = hospital == null ? SourceRoute.HUB_RELAY
                : hospital.source().kind() == NetworkProperties.SourceKind.REST ? SourceRoute.REST_SOURCE
                : SourceRoute.SOAP_SOURCE;
        return retrieval.located(entry.get(), route, hospital);
    }
}
