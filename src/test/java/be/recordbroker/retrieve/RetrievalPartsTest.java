package be.recordbroker.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

import be.fgov.ehealth.standards.kmehr.schema.v1.KmehrmessageType;
import be.fgov.ehealth.standards.kmehr.schema.v1.PersonType;
import be.fgov.ehealth.standards.kmehr.schema.v1.TransactionType;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.kmehr.KmehrMessages;

/** The retrieval's small parts: path encoding of local ids, KMEHR unwrapping and recognition. */
class RetrievalPartsTest {

    @Test
    void aLocalIdIsOneEncodedPathSegment() {
        assertThat(RestDocumentSource.pathSegment("GEN-1024-7_a.b~c")).isEqualTo("GEN-1024-7_a.b~c");
        assertThat(RestDocumentSource.pathSegment("a/b c?d#é")).isEqualTo("a%2Fb%20c%3Fd%23%C3%A9");
        assertThat(RestDocumentSource.pathSegment("../x")).isEqualTo("..%2Fx");
    }

    @Test
    void wrappedContentIsUnwrappedToItsBytesAndMediaType() {
        byte[] pdf = "%PDF-1.4 synthetic".getBytes(StandardCharsets.US_ASCII);
        KmehrContent wrapped = new KmehrContent(SourceRoute.HUB_RELAY, wrap(pdf, "application/pdf"));
        assertThat(wrapped.bytes()).isEqualTo(pdf);
        assertThat(wrapped.mimeType("text/xml")).isEqualTo("application/pdf");

        KmehrContent octets = new KmehrContent(SourceRoute.HUB_RELAY, wrap(new byte[] {1, 2, 3}, "application/x-unlisted"));
        assertThat(octets.mimeType(null)).isEqualTo("application/octet-stream");
        assertThat(octets.mimeType("text/xml")).as("the hubs' 'not said'").isEqualTo("application/octet-stream");
        assertThat(octets.mimeType("image/jpeg")).isEqualTo("image/jpeg");
    }

    @Test
    void aKmehrMessageIsRecognisedAndOtherXmlIsNot() {
        byte[] kmehr = KmehrMessages.write(wrap(new byte[] {42}, "text/plain"));
        assertThat(KmehrMessages.readIfKmehr(kmehr)).isPresent();
        KmehrContent plain = new KmehrContent(SourceRoute.SOAP_SOURCE, KmehrMessages.readIfKmehr(kmehr).orElseThrow());
        assertThat(plain.multimedia()).isPresent();
        assertThat(KmehrMessages.readIfKmehr("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(KmehrMessages.readIfKmehr("not xml at all".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(KmehrMessages.readIfKmehr(("<?xml version=\"1.0\"?><!DOCTYPE k [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<kmehrmessage xmlns=\"http://www.ehealth.fgov.be/standards/kmehr/schema/v1\">&e;</kmehrmessage>")
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void aPlainKmehrMessageIsReturnedAsXml() {
        KmehrmessageType message = KmehrMessages.readIfKmehr(KmehrMessages.write(wrap(new byte[] {7}, "text/plain")))
                .orElseThrow();
        message.getFolder().get(0).getTransaction().get(0).getHeadingOrItemOrText().clear();
        KmehrContent kmehr = new KmehrContent(SourceRoute.SOAP_SOURCE, message);
        assertThat(kmehr.multimedia()).isEmpty();
        assertThat(kmehr.mimeType("application/pdf")).isEqualTo("text/xml");
        assertThat(new String(kmehr.bytes(), StandardCharsets.UTF_8)).contains("kmehrmessage");
    }

    private static KmehrmessageType wrap(byte[] content, String mimeType) {
        TransactionType transaction = new TransactionType();
        transaction.getId().add(Kmehr.idKmehr("1"));
        transaction.getCd().add(Kmehr.cdTransaction("labresult"));
        PersonType patient = new PersonType();
        patient.getId().add(Kmehr.inss("12020175988"));
        var party = Kmehr.organisationParty("71000040", "orghospital", "Sandbox Hospital Brussels");
        return KmehrMessages.wrap(content, mimeType, patient, transaction, party, party, "71000040.1",
                OffsetDateTime.now());
    }
}
