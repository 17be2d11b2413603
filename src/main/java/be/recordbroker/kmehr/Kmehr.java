package be.recordbroker.kmehr;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeConstants;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;

import be.fgov.ehealth.hubservices.core.v3.AcknowledgeType;
import be.fgov.ehealth.hubservices.core.v3.PatientIdType;
import be.fgov.ehealth.hubservices.core.v3.RequestListType;
import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.hubservices.core.v3.ResponseListType;
import be.fgov.ehealth.hubservices.core.v3.ResponseType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDERROR;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDERRORschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDHCPARTY;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTRANSACTION;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTRANSACTIONschemes;
import be.fgov.ehealth.standards.kmehr.dt.v1.TextType;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTY;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDKMEHR;
import be.fgov.ehealth.standards.kmehr.id.v1.IDKMEHRschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDPATIENT;
import be.fgov.ehealth.standards.kmehr.id.v1.IDPATIENTschemes;
import be.fgov.ehealth.standards.kmehr.schema.v1.AuthorType;
import be.fgov.ehealth.standards.kmehr.schema.v1.ErrorType;
import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.Hub;

/**
 * Building and reading the IntraHub v3 / KMEHR wire types: identifiers, codes, parties, request and response
 * envelopes, acknowledgements, dates. Used by the hub client's callers and by the sandbox hubs alike, so both sides
 * of the wire write the same shapes (docs/domain.md: request id {@code <nihii>.<epoch-millis>}, hub party =
 * ID-HCPARTY EHP id + CD-HCPARTY {@code hub}).
 */
public final class Kmehr {

    public static final String SV_ID = "1.0";
    public static final String SV_CD_HCPARTY = "1.1";
    public static final String SV_CD_TRANSACTION = "1.10";

    /**
     * LOCAL id / code labels under which the broker declares what it knows of a document's content. Real hubs keep
     * LOCAL ids and codes they do not interpret, so a declaration stays valid KMEHR.
     */
    public static final String SL_SHA256 = "record-broker.sha256";
    public static final String SL_SIZE = "record-broker.size";
    public static final String SL_SOURCE = "record-broker.source";
    public static final String SL_MEDIATYPE = "record-broker.mediatype";

    private static final DatatypeFactory DATATYPES = datatypes();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private Kmehr() {
    }

    // --- identifiers ---

    public static IDKMEHR idKmehr(String value) {
        IDKMEHR id = new IDKMEHR();
        id.setS(IDKMEHRschemes.ID_KMEHR);
        id.setSV(SV_ID);
        id.setValue(value);
        return id;
    }

    /** A LOCAL id with its source label: how a hub names a transaction ({@code S=LOCAL SL=RSBID}). */
    public static IDKMEHR localId(String sourceLabel, String value) {
        IDKMEHR id = new IDKMEHR();
        id.setS(IDKMEHRschemes.LOCAL);
        id.setSL(sourceLabel);
        id.setSV(SV_ID);
        id.setValue(value);
        return id;
    }

    /** The transaction's own LOCAL id (SL, value): the first one that is not one of the broker's content labels. */
    public static Optional<IDKMEHR> localIdOf(List<IDKMEHR> ids) {
        return ids.stream().filter(i -> i.getS() == IDKMEHRschemes.LOCAL && i.getSL() != null
                && !i.getSL().startsWith("record-broker.")).findFirst();
    }

    /** The value of a LOCAL id with this SL, if present. */
    public static Optional<String> localIdValue(List<IDKMEHR> ids, String sourceLabel) {
        return ids.stream().filter(i -> i.getS() == IDKMEHRschemes.LOCAL && sourceLabel.equals(i.getSL()))
                .map(IDKMEHR::getValue).findFirst();
    }

    public static IDHCPARTY hcpartyId(IDHCPARTYschemes scheme, String value) {
        IDHCPARTY id = new IDHCPARTY();
        id.setS(scheme);
        id.setSV(SV_ID);
        id.setValue(value);
        return id;
    }

    public static IDPATIENT inss(String ssin) {
        IDPATIENT id = new IDPATIENT();
        id.setS(IDPATIENTschemes.INSS);
        id.setSV(SV_ID);
        id.setValue(ssin);
        return id;
    }

    public static PatientIdType patient(String ssin) {
        PatientIdType patient = new PatientIdType();
        patient.getId().add(inss(ssin));
        return patient;
    }

    /**
     * A KMEHR person for a patient the broker knows by SSIN only. The schema requires first name, family name and sex;
     * the broker holds no demographics (they stay at the source), so unknown names are empty and the sex is
     * {@code unknown} rather than an invalid person a strict client refuses.
     */
    public static be.fgov.ehealth.standards.kmehr.schema.v1.PersonType person(String ssin, String firstName,
            String familyName, String sex) {
        var person = new be.fgov.ehealth.standards.kmehr.schema.v1.PersonType();
        person.getId().add(inss(ssin));
        person.getFirstname().add(firstName == null ? "" : firstName);
        person.setFamilyname(familyName == null ? "" : familyName);
        var sexType = new be.fgov.ehealth.standards.kmehr.schema.v1.SexType();
        var cd = new be.fgov.ehealth.standards.kmehr.cd.v1.CDSEX();
        cd.setS("CD-SEX");
        cd.setSV("1.1");
        be.fgov.ehealth.standards.kmehr.cd.v1.CDSEXvalues value = be.fgov.ehealth.standards.kmehr.cd.v1.CDSEXvalues.UNKNOWN;
        if (sex != null) {
            String s = sex.strip().toLowerCase(java.util.Locale.ROOT);
            value = s.equals("m") || s.equals("male") ? be.fgov.ehealth.standards.kmehr.cd.v1.CDSEXvalues.MALE
                    : s.equals("f") || s.equals("female") ? be.fgov.ehealth.standards.kmehr.cd.v1.CDSEXvalues.FEMALE
                    : value;
        }
        cd.setValue(value);
        sexType.setCd(cd);
        person.setSex(sexType);
        return person;
    }

    /** The SSIN of a patient id (INSS, or ID-PATIENT as some hubs send it). */
    public static Optional<String> ssinOf(List<IDPATIENT> ids) {
        return ids.stream()
                .filter(i -> i.getS() == IDPATIENTschemes.INSS || i.getS() == IDPATIENTschemes.ID_PATIENT)
                .map(IDPATIENT::getValue).findFirst();
    }

    public static Optional<String> ssinOf(PatientIdType patient) {
        return patient == null ? Optional.empty() : ssinOf(patient.getId());
    }

    // --- codes ---

    public static CDHCPARTY cdHcparty(String value) {
        CDHCPARTY cd = new CDHCPARTY();
        cd.setS(CDHCPARTYschemes.CD_HCPARTY);
        cd.setSV(SV_CD_HCPARTY);
        cd.setValue(value);
        return cd;
    }

    public static CDTRANSACTION cdTransaction(String value) {
        CDTRANSACTION cd = new CDTRANSACTION();
        cd.setS(CDTRANSACTIONschemes.CD_TRANSACTION);
        cd.setSV(SV_CD_TRANSACTION);
        cd.setValue(value);
        return cd;
    }

    /** A hub's own code for a transaction type, with its display name (used for the document title). */
    public static CDTRANSACTION localTransactionCode(String catalogue, String value, String displayName) {
        CDTRANSACTION cd = new CDTRANSACTION();
        cd.setS(CDTRANSACTIONschemes.LOCAL);
        cd.setSL(catalogue);
        cd.setSV(SV_ID);
        cd.setValue(value);
        cd.setDN(displayName);
        return cd;
    }

    public static Optional<String> transactionTypeOf(List<CDTRANSACTION> cds) {
        return cds.stream().filter(c -> c.getS() == CDTRANSACTIONschemes.CD_TRANSACTION).map(CDTRANSACTION::getValue)
                .findFirst();
    }

    // --- parties ---

    /** A hub as a party: ID-HCPARTY = its EHP number, CD-HCPARTY {@code hub}. */
    public static HcpartyType hubParty(Hub hub) {
        HcpartyType party = new HcpartyType();
        party.getId().add(hcpartyId(IDHCPARTYschemes.ID_HCPARTY, hub.ehpId()));
        party.getCd().add(cdHcparty("hub"));
        party.setName(hub.name());
        return party;
    }

    /** A professional: NIHII, SSIN when known, CD-HCPARTY profession, names. */
    public static HcpartyType professionalParty(String nihii, String ssin, String profession, String firstName,
                                                String familyName) {
        HcpartyType party = new HcpartyType();
        if (nihii != null) {
            party.getId().add(hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nihii));
        }
        if (ssin != null) {
            party.getId().add(hcpartyId(IDHCPARTYschemes.INSS, ssin));
        }
        party.getCd().add(cdHcparty(profession));
        setNames(party, firstName, familyName);
        return party;
    }

    /**
     * The schema's choice for a party's names: {@code name} alone, or {@code firstname} AND {@code familyname}
     * together. A party with only one of the two (a professional known by one name) gets it as {@code name}, else a
     * strict client refuses the whole answer.
     */
    static void setNames(HcpartyType party, String firstName, String familyName) {
        boolean first = firstName != null && !firstName.isBlank();
        boolean family = familyName != null && !familyName.isBlank();
        if (first && family) {
            party.setFirstname(firstName);
            party.setFamilyname(familyName);
        } else if (first || family) {
            party.setName(first ? firstName : familyName);
        }
    }

    /** The display name of a party: {@code name}, or first and family name; empty when it has none. */
    public static String displayName(HcpartyType party) {
        if (party.getName() != null && !party.getName().isBlank()) {
            return party.getName().strip();
        }
        return String.join(" ", party.getFirstname() == null ? "" : party.getFirstname(),
                party.getFamilyname() == null ? "" : party.getFamilyname()).strip();
    }

    /** The acting person of a request the broker makes on a caller's behalf (request/author/hcparty). */
    public static HcpartyType actingParty(be.recordbroker.domain.Professional caller) {
        return professionalParty(caller.nihii() == null ? null : caller.nihii().value(),
                caller.ssin() == null ? null : caller.ssin().value(), caller.profession(), null, caller.name());
    }

    /** An institution (hospital, lab): NIHII and CD-HCPARTY such as {@code orghospital}. */
    public static HcpartyType organisationParty(String nihii, String kind, String name) {
        HcpartyType party = new HcpartyType();
        party.getId().add(hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nihii));
        party.getCd().add(cdHcparty(kind));
        party.setName(name);
        return party;
    }

    /** Software acting in its own name (the broker asking a hub for facts): ID-HCPARTY and CD-HCPARTY {@code application}. */
    public static HcpartyType applicationParty(String id, String name) {
        HcpartyType party = new HcpartyType();
        party.getId().add(hcpartyId(IDHCPARTYschemes.ID_HCPARTY, id));
        party.getCd().add(cdHcparty("application"));
        party.setName(name);
        return party;
    }

    public static AuthorType author(HcpartyType... parties) {
        AuthorType author = new AuthorType();
        author.getHcparty().addAll(List.of(parties));
        return author;
    }

    public static Optional<String> idOf(HcpartyType party, IDHCPARTYschemes scheme) {
        return party.getId().stream().filter(i -> i.getS() == scheme).map(IDHCPARTY::getValue).findFirst();
    }

    public static Optional<String> cdOf(HcpartyType party) {
        return party.getCd().stream().filter(c -> c.getS() == CDHCPARTYschemes.CD_HCPARTY).map(CDHCPARTY::getValue)
                .findFirst();
    }

    /** The first party of an author that is a person (not a hub, an application or an organisation). */
    public static Optional<HcpartyType> professionalOf(AuthorType author) {
        if (author == null) {
            return Optional.empty();
        }
        return author.getHcparty().stream()
                .filter(p -> cdOf(p).map(cd -> cd.startsWith("pers") || cd.equals("patient")).orElse(false))
                .findFirst();
    }

    /** The hub party of an author, if any. */
    public static Optional<HcpartyType> hubOf(AuthorType author) {
        if (author == null) {
            return Optional.empty();
        }
        return author.getHcparty().stream().filter(p -> cdOf(p).filter("hub"::equals).isPresent()).findFirst();
    }

    // --- request and response envelopes ---

    /** A request header: id {@code <author nihii>.<millis>.<seq>}, the author, now. */
    public static RequestType request(HcpartyType author, OffsetDateTime now) {
        RequestType request = new RequestType();
        fillRequest(request, author, now);
        return request;
    }

    public static RequestListType requestList(HcpartyType author, OffsetDateTime now) {
        RequestListType request = new RequestListType();
        fillRequest(request, author, now);
        return request;
    }

    private static void fillRequest(RequestType request, HcpartyType author, OffsetDateTime now) {
        String prefix = idOf(author, IDHCPARTYschemes.ID_HCPARTY).orElse("record-broker");
        request.setId(idKmehr(prefix + "." + now.toInstant().toEpochMilli() + "." + SEQUENCE.incrementAndGet()));
        request.setAuthor(author(author));
        request.setDate(date(now.toLocalDate()));
        request.setTime(time(now.toLocalTime()));
    }

    /** A response header from {@code responder}, echoing the request. */
    public static ResponseType response(HcpartyType responder, RequestType echo, OffsetDateTime now) {
        ResponseType response = new ResponseType();
        String prefix = idOf(responder, IDHCPARTYschemes.ID_HCPARTY).orElse("hub");
        response.setId(idKmehr(prefix + "." + now.toInstant().toEpochMilli() + "." + SEQUENCE.incrementAndGet()));
        response.setAuthor(author(responder));
        response.setDate(date(now.toLocalDate()));
        response.setTime(time(now.toLocalTime()));
        response.setRequest(echo);
        return response;
    }

    public static ResponseListType responseList(HcpartyType responder, RequestListType echo, OffsetDateTime now) {
        ResponseListType response = new ResponseListType();
        String prefix = idOf(responder, IDHCPARTYschemes.ID_HCPARTY).orElse("hub");
        response.setId(idKmehr(prefix + "." + now.toInstant().toEpochMilli() + "." + SEQUENCE.incrementAndGet()));
        response.setAuthor(author(responder));
        response.setDate(date(now.toLocalDate()));
        response.setTime(time(now.toLocalTime()));
        response.setRequest(echo);
        return response;
    }

    public static AcknowledgeType complete() {
        AcknowledgeType ack = new AcknowledgeType();
        ack.setIscomplete(true);
        return ack;
    }

    /** A failed acknowledgement with one error (CD-ERROR code, human description). */
    public static AcknowledgeType failed(String code, String description) {
        AcknowledgeType ack = new AcknowledgeType();
        ack.setIscomplete(false);
        ack.getError().add(error(code, description));
        return ack;
    }

    public static ErrorType error(String code, String description) {
        ErrorType error = new ErrorType();
        CDERROR cd = new CDERROR();
        cd.setS(CDERRORschemes.CD_ERROR);
        cd.setSV(SV_ID);
        cd.setValue(code);
        error.getCd().add(cd);
        TextType text = new TextType();
        text.setL("en");
        text.setValue(description);
        error.setDescription(text);
        return error;
    }

    // --- dates and times (xsd:date / xsd:time without a time zone, as hubs send them) ---

    public static XMLGregorianCalendar date(LocalDate date) {
        return DATATYPES.newXMLGregorianCalendarDate(date.getYear(), date.getMonthValue(), date.getDayOfMonth(),
                DatatypeConstants.FIELD_UNDEFINED);
    }

    public static XMLGregorianCalendar time(LocalTime time) {
        LocalTime t = time.truncatedTo(ChronoUnit.SECONDS);
        return DATATYPES.newXMLGregorianCalendarTime(t.getHour(), t.getMinute(), t.getSecond(),
                DatatypeConstants.FIELD_UNDEFINED);
    }

    public static XMLGregorianCalendar dateTime(OffsetDateTime dateTime) {
        // xsd:dateTime needs the seconds, which OffsetDateTime.toString() leaves out when they are zero
        return DATATYPES.newXMLGregorianCalendar(
                java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX").format(dateTime));
    }

    public static LocalDate localDate(XMLGregorianCalendar value) {
        return value == null ? null : LocalDate.of(value.getYear(), value.getMonth(), value.getDay());
    }

    /** Combines a KMEHR date and time; a time without a zone is read in {@code zone}. */
    public static OffsetDateTime dateTime(XMLGregorianCalendar date, XMLGregorianCalendar time, ZoneId zone) {
        LocalDate day = localDate(date);
        LocalTime at = time == null ? LocalTime.MIDNIGHT
                : LocalTime.of(time.getHour(), time.getMinute(), time.getSecond() == DatatypeConstants.FIELD_UNDEFINED
                ? 0 : time.getSecond());
        if (time != null && time.getTimezone() != DatatypeConstants.FIELD_UNDEFINED) {
            return OffsetDateTime.of(day, at, java.time.ZoneOffset.ofTotalSeconds(time.getTimezone() * 60));
        }
        return LocalDateTime.of(day, at).atZone(zone).toOffsetDateTime();
    }

    private static DatatypeFactory datatypes() {
        try {
            return DatatypeFactory.newInstance();
        } catch (DatatypeConfigurationException e) {
            throw new IllegalStateException("no XML datatype factory", e);
        }
    }
}
