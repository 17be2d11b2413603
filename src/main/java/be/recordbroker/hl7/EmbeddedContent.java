package be.recordbroker.hl7;

/**
 * Document content a message carried inline (OBX-5 of type ED, or base64 data in OBX-5) and that was removed from
 * the message: what remains of it is this fingerprint.
 *
 * @param sha256      SHA-256 of the decoded bytes, lower-case hex
 * @param size        number of decoded bytes
 * @param mimeType    from the ED type of data and subtype, else sniffed from the first bytes, else
 *                    {@code application/octet-stream}
 * @param obxSetId    OBX-1 of the segment that carried it
 * @param obxSequence position of that OBX among the message's OBX segments, from 1
 * @param encoding    {@code Base64}, {@code Hex}, {@code A} (HL7 table 0299), or {@code raw} when the data declared
 *                    no encoding we know (hashed as text in the message charset)
 * @param wellFormed  false when the data did not decode cleanly (bad characters, odd length, unknown encoding):
 *                    the hash is then of what could be decoded, and the message deserves an AE
 */
public record EmbeddedContent(String sha256, long size, String mimeType, String obxSetId, int obxSequence,
                              String encoding, boolean wellFormed) {
}
