package be.recordbroker.hl7;

/**
 * A document announced by reference (OBX-2 = {@code RP}: pointer ^ application id ^ type of data ^ subtype). It is
 * kept in the message as sent; this record is what ingest reads from it.
 *
 * @param pointer        RP-1, the reference (a URL, a path or a local id)
 * @param applicationId  RP-2.1, namespace id of the application that holds the document
 * @param typeOfData     RP-3 (HL7 table 0191, e.g. {@code AP})
 * @param subtype        RP-4 (e.g. {@code PDF})
 * @param mimeType       derived from RP-3/RP-4 as for ED, {@code application/octet-stream} when unknown
 * @param obxSetId       OBX-1
 * @param obxSequence    position of that OBX among the message's OBX segments, from 1
 */
public record ReferencePointer(String pointer, String applicationId, String typeOfData, String subtype,
                               String mimeType, String obxSetId, int obxSequence) {
}
