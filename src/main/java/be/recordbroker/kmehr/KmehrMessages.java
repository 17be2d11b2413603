package be.recordbroker.kmehr;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.OffsetDateTime;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.stream.StreamSource;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;

import be.fgov.ehealth.standards.kmehr.cd.v1.CDLNKvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDMEDIATYPEvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDSTANDARD;
import be.fgov.ehealth.standards.kmehr.cd.v1.LnkType;
import be.fgov.ehealth.standards.kmehr.schema.v1.AuthorType;
import be.fgov.ehealth.standards.kmehr.schema.v1.FolderType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HeaderType;
import be.fgov.ehealth.standards.kmehr.schema.v1.KmehrmessageType;
import be.fgov.ehealth.standards.kmehr.schema.v1.ObjectFactory;
import be.fgov.ehealth.standards.kmehr.schema.v1.PersonType;
import be.fgov.ehealth.standards.kmehr.schema.v1.RecipientType;
import be.fgov.ehealth.standards.kmehr.schema.v1.SenderType;
import be.fgov.ehealth.standards.kmehr.schema.v1.StandardType;
import be.fgov.ehealth.standards.kmehr.schema.v1.TransactionType;

/**
 * Reading and writing whole KMEHR messages, and wrapping content that is not KMEHR (a PDF, plain text) in a KMEHR
 * message with a multimedia {@code lnk}, as GetTransaction must return KMEHR. Parsing refuses DTDs and external
 * entities: a KMEHR message never needs them.
 */
public final class KmehrMessages {

    private static final JAXBContext CONTEXT = context();
    private static final XMLInputFactory INPUTS = safeInputs();
    private static final String KMEHR_NS = "http://www.ehealth.fgov.be/standards/kmehr/schema/v1";

    private KmehrMessages() {
    }

    public static KmehrmessageType read(InputStream in) {
        try {
            XMLStreamReader reader = INPUTS.createXMLStreamReader(new StreamSource(in));
            try {
                return CONTEXT.createUnmarshaller().unmarshal(reader, KmehrmessageType.class).getValue();
            } finally {
                reader.close();
            }
        } catch (JAXBException | XMLStreamException e) {
            throw new IllegalArgumentException("not a KMEHR message: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The message, if {@code bytes} is a KMEHR message (root element {@code kmehrmessage} in the KMEHR namespace);
     * empty for any other content, XML or not. {@link #read} alone would accept any root element.
     */
    public static java.util.Optional<KmehrmessageType> readIfKmehr(byte[] bytes) {
        try {
            XMLStreamReader reader = INPUTS.createXMLStreamReader(new java.io.ByteArrayInputStream(bytes));
            try {
                while (reader.hasNext() && !reader.isStartElement()) {
                    reader.next();
                }
                if (!reader.isStartElement() || !"kmehrmessage".equals(reader.getLocalName())
                        || !KMEHR_NS.equals(reader.getNamespaceURI())) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(CONTEXT.createUnmarshaller().unmarshal(reader, KmehrmessageType.class)
                        .getValue());
            } finally {
                reader.close();
            }
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    public static byte[] write(KmehrmessageType message) {
        try {
            Marshaller marshaller = CONTEXT.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            marshaller.marshal(new ObjectFactory().createKmehrmessage(message), out);
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write a KMEHR message", e);
        }
    }

    /**
     * A KMEHR message whose single transaction carries {@code content} as a multimedia link. {@code transaction}
     * brings the ids, codes, date, time and author of the document; its content list is replaced.
     */
    public static KmehrmessageType wrap(byte[] content, String mimeType, PersonType patient, TransactionType transaction,
                                        HcpartyType sender, HcpartyType recipient, String messageId, OffsetDateTime now) {
        KmehrmessageType message = new KmehrmessageType();
        HeaderType header = new HeaderType();
        StandardType standard = new StandardType();
        CDSTANDARD cd = new CDSTANDARD();
        cd.setS("CD-STANDARD");
        cd.setSV("1.26");
        cd.setValue("20161201");
        standard.setCd(cd);
        header.setStandard(standard);
        header.getId().add(Kmehr.idKmehr(messageId));
        header.setDate(Kmehr.date(now.toLocalDate()));
        header.setTime(Kmehr.time(now.toLocalTime()));
        SenderType from = new SenderType();
        from.getHcparty().add(sender);
        header.setSender(from);
        RecipientType to = new RecipientType();
        to.getHcparty().add(recipient);
        header.getRecipient().add(to);
        message.setHeader(header);
        FolderType folder = new FolderType();
        folder.getId().add(Kmehr.idKmehr("1"));
        folder.setPatient(patient);
        LnkType lnk = new LnkType();
        lnk.setTYPE(CDLNKvalues.MULTIMEDIA);
        lnk.setMEDIATYPE(mediaType(mimeType));
        lnk.setSIZE(Long.toString(content.length));
        lnk.setValue(content);
        transaction.getHeadingOrItemOrText().clear();
        transaction.getHeadingOrItemOrText().add(lnk);
        folder.getTransaction().add(transaction);
        message.getFolder().add(folder);
        return message;
    }

    /** The KMEHR media type for a MIME type, or null when KMEHR's closed list has none (the attribute is optional). */
    static CDMEDIATYPEvalues mediaType(String mimeType) {
        String base = mimeType == null ? "" : mimeType.split(";")[0].trim().toLowerCase();
        for (CDMEDIATYPEvalues value : CDMEDIATYPEvalues.values()) {
            if (value.value().equalsIgnoreCase(base)) {
                return value;
            }
        }
        return null; // MEDIATYPE is optional: content of a type KMEHR does not list goes without one
    }

    /** The first multimedia link's bytes of a message, if it has one. */
    public static java.util.Optional<LnkType> firstMultimedia(KmehrmessageType message) {
        return message.getFolder().stream().flatMap(f -> f.getTransaction().stream())
                .flatMap(t -> t.getHeadingOrItemOrText().stream())
                .filter(LnkType.class::isInstance).map(LnkType.class::cast)
                .filter(l -> l.getTYPE() == CDLNKvalues.MULTIMEDIA).findFirst();
    }

    public static AuthorType copy(AuthorType author) {
        AuthorType copy = new AuthorType();
        copy.getHcparty().addAll(author.getHcparty());
        return copy;
    }

    private static JAXBContext context() {
        try {
            return JAXBContext.newInstance(ObjectFactory.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot create the KMEHR JAXB context", e);
        }
    }

    private static XMLInputFactory safeInputs() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }
}
