package be.recordbroker.retrieve;

import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.kmehr.Kmehr;

/** The last step of a retrieval: open the document where the locate step said it is. */
public class DocumentSources {

    private final RestDocumentSource rest;
    private final KmehrDocumentSource kmehr;

    public DocumentSources(RestDocumentSource rest, KmehrDocumentSource kmehr) {
        this.rest = rest;
        this.kmehr = kmehr;
    }

    /** Only after the gate allowed the read. */
    public OpenedDocument open(Retrieval retrieval) {
        if (retrieval.decision() == null || !retrieval.decision().allowed()) {
            throw new IllegalStateException("a document is opened only after the gate allowed the read");
        }
        HcpartyType author = Kmehr.actingParty(retrieval.request().caller());
        String breakTheGlass = retrieval.decision().breakTheGlass();
        DocumentContent content = switch (retrieval.route()) {
            case REST_SOURCE -> rest.open(retrieval.hospital(), retrieval.id().localId());
            case SOAP_SOURCE -> kmehr.fromSource(retrieval.hospital(), retrieval.id(), author, breakTheGlass);
            case HUB_RELAY -> kmehr.fromHub(retrieval.hub().code(), retrieval.id(), author, breakTheGlass);
        };
        return new OpenedDocument(retrieval, content);
    }
}
