package be.recordbroker.fhir;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;

import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

import be.recordbroker.domain.DocumentEntry;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.DocumentStatus;
import be.recordbroker.network.Network;

/**
 * A search result's {@link DocumentEntry} as an R4 {@link DocumentReference} (MHD's ITI-67 answer): metadata only,
 * the content stays at its source and is read through {@code content.attachment.url} (ITI-68).
 */
public final class DocumentReferences {

    /** The patient's identifier system (Belgian national register number). */
    public static final String SSIN_SYSTEM = "https://www.ehealth.fgov.be/standards/fhir/core/NamingSystem/ssin";
    /** A care professional's NIHII. */
    public static final String NIHII_SYSTEM = "https://www.ehealth.fgov.be/standards/fhir/core/NamingSystem/nihdi";
    /** An institution's NIHII. */
    public static final String NIHII_ORGANIZATION_SYSTEM =
            "https://www.ehealth.fgov.be/standards/fhir/core/NamingSystem/nihdi-organization";
    /**
     * KMEHR's CD-TRANSACTION table, named by the KMEHR code namespace and the table: the type (and the category: the
     * broker knows no coarser class of document than its transaction type).
     */
    public static final String CD_TRANSACTION = "http://www.ehealth.fgov.be/standards/kmehr/cd/v1/CD-TRANSACTION";
    /** The broker's own document id, the one the REST face uses too (sealed, opaque). */
    public static final String DOCUMENT_ID_SYSTEM = "urn:record-broker:document-id";
    /** The path of ITI-68 below the FHIR base. */
    public static final String DOCUMENTS_PATH = "/documents/";

    private final DocumentIdCodec documentIds;
    private final Network network;

    public DocumentReferences(DocumentIdCodec documentIds, Network network) {
        this.documentIds = documentIds;
        this.network = network;
    }

    /** @param fhirBase the FHIR base URL as the caller reached it, e.g. {@code http://host:8080/fhir} */
    public DocumentReference of(DocumentEntry d, String fhirBase) {
        String id = documentIds.encode(d.id());
        DocumentReference ref = new DocumentReference();
        // a FHIR id is at most 64 of [A-Za-z0-9-.]: the sealed id is longer and base64url, so the resource id is a
        // digest of it; the sealed id itself is an identifier and the attachment URL
        ref.setId(resourceId(id));
        network.hubs().byEhpId(d.id().hubEhpId())
                .ifPresent(hub -> ref.getMeta().setSource("urn:record-broker:hub:" + hub.code()));
        ref.setMasterIdentifier(new Identifier().setSystem("urn:record-broker:source:" + d.id().hubEhpId() + ":"
                + d.id().sourceLabel()).setValue(d.id().localId()));
        ref.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem(DOCUMENT_ID_SYSTEM).setValue(id);
        ref.setStatus(status(d.status()));
        CodeableConcept type = transaction(d.type());
        ref.setType(type);
        ref.addCategory(transaction(d.type()));
        ref.setSubject(new Reference().setIdentifier(new Identifier().setSystem(SSIN_SYSTEM)
                .setValue(d.patient().value())));
        ref.setDate(Date.from(d.dateTime().toInstant()));
        if (d.author() != null) {
            Reference author = new Reference().setType("Practitioner").setDisplay(d.author().name());
            if (d.author().nihii() != null) {
                author.setIdentifier(new Identifier().setSystem(NIHII_SYSTEM).setValue(d.author().nihii().value()));
            }
            ref.addAuthor(author);
        }
        if (d.authorInstitution() != null) {
            Reference custodian = new Reference().setType("Organization").setDisplay(d.authorInstitution().name());
            custodian.setIdentifier(new Identifier().setSystem(NIHII_ORGANIZATION_SYSTEM)
                    .setValue(d.authorInstitution().nihii().value()));
            ref.setCustodian(custodian);
        } else if (d.sourceHospital() != null) {
            ref.setCustodian(new Reference().setType("Organization").setDisplay(d.sourceHospital()));
        }
        // the title once, where MHD puts XDS's title: content.attachment.title (description is XDS's comments, which
        // the hubs do not give); the clinical date once, as date (no context.period copy of it)
        Attachment attachment = new Attachment().setContentType(d.mimeType()).setTitle(d.title())
                .setUrl(fhirBase + DOCUMENTS_PATH + id);
        if (d.size() != null && d.size() <= Integer.MAX_VALUE) {
            attachment.setSize(d.size().intValue());
        }
        // FHIR's hash is SHA-1; the hubs give SHA-256 only, so no hash is claimed (never a wrong one)
        ref.addContent().setAttachment(attachment);
        return ref;
    }

    static CodeableConcept transaction(String code) {
        return new CodeableConcept().addCoding(new Coding(CD_TRANSACTION, code, null));
    }

    static DocumentReferenceStatus status(DocumentStatus status) {
        return switch (status) {
            case AVAILABLE -> DocumentReferenceStatus.CURRENT;
            case REPLACED -> DocumentReferenceStatus.SUPERSEDED;
            case REVOKED -> DocumentReferenceStatus.ENTEREDINERROR;
        };
    }

    /** 32 hex characters of SHA-256 of the sealed id: stable per document, a valid FHIR id. */
    public static String resourceId(String sealedId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sealedId.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
