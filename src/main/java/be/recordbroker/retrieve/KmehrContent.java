package be.recordbroker.retrieve;

import java.util.Optional;

import be.fgov.ehealth.standards.kmehr.cd.v1.CDMEDIATYPEvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.LnkType;
import be.fgov.ehealth.standards.kmehr.schema.v1.KmehrmessageType;
import be.recordbroker.kmehr.KmehrMessages;

/**
 * A document as an IntraHub source (a hospital's KMEHR source, or a hub relaying one) returns it: a whole KMEHR
 * message, held in memory by the SOAP stack. Content that is not KMEHR comes wrapped in a multimedia {@code lnk};
 * {@link #bytes()} unwraps it so that a REST caller gets exactly the source's bytes.
 */
public record KmehrContent(SourceRoute route, KmehrmessageType message) implements DocumentContent {

    /** The wrapped content's link, when the message only carries a non-KMEHR document. */
    public Optional<LnkType> multimedia() {
        return KmehrMessages.firstMultimedia(message);
    }

    /** The document's bytes: the wrapped content, or the KMEHR message itself. */
    public byte[] bytes() {
        return multimedia().map(LnkType::getValue).orElseGet(() -> KmehrMessages.write(message));
    }

    /**
     * The document's media type: text/xml for a KMEHR message; for wrapped content the link's MEDIATYPE, else
     * {@code fallback} (the hub's listing). A listing that says text/xml is the hubs' default for "not said", and
     * wrapped content is by definition not KMEHR: octet-stream then.
     */
    public String mimeType(String fallback) {
        Optional<LnkType> lnk = multimedia();
        if (lnk.isEmpty()) {
            return "text/xml";
        }
        CDMEDIATYPEvalues type = lnk.get().getMEDIATYPE();
        if (type != null) {
            return type.value();
        }
        return fallback == null || fallback.isBlank() || fallback.startsWith("text/xml") ? "application/octet-stream"
                : fallback;
    }

    @Override
    public void close() {
        // nothing held beyond the message itself
    }
}
