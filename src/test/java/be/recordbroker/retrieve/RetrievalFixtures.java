package be.recordbroker.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;

import be.fgov.ehealth.hubservices.core.v3.AccessRightType;
import be.fgov.ehealth.hubservices.core.v3.ConsentType;
import be.fgov.ehealth.hubservices.core.v3.DeclareTransactionRequestType;
import be.fgov.ehealth.hubservices.core.v3.FolderType;
import be.fgov.ehealth.hubservices.core.v3.HCPartyIdType;
import be.fgov.ehealth.hubservices.core.v3.KmehrHeaderDeclareTransactionType;
import be.fgov.ehealth.hubservices.core.v3.PutAccessRightRequestType;
import be.fgov.ehealth.hubservices.core.v3.PutPatientConsentRequestType;
import be.fgov.ehealth.hubservices.core.v3.PutTherapeuticLinkRequestType;
import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.fgov.ehealth.hubservices.core.v3.TherapeuticLinkType;
import be.fgov.ehealth.hubservices.core.v3.TransactionIdType;
import be.fgov.ehealth.hubservices.core.v3.TransactionSummaryType;
import be.fgov.ehealth.hubservices.protocol.v3.IntraHubPortType;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDACCESSRIGHTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENT;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTschemes;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDCONSENTvalues;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINK;
import be.fgov.ehealth.standards.kmehr.cd.v1.CDTHERAPEUTICLINKschemes;
import be.fgov.ehealth.standards.kmehr.id.v1.IDHCPARTYschemes;
import be.recordbroker.domain.DocumentId;
import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.kmehr.Kmehr;
import be.recordbroker.sandbox.SandboxSources;

/**
 * What a retrieval test sets up through the sandbox's own protocols: a fresh patient with consent and a GP link, and
 * documents declared at a hub by reference (LOCAL id = the hospital's local id, author institution = the hospital by
 * NIHII, so the hub's entry names the source hospital). Also demo tokens and SHA-256 of what the sources serve.
 */
public final class RetrievalFixtures {

    public static final String GP = "12345625004";
    public static final String CARDIOLOGIST = "13456769580";
    public static final String NURSE = "41122357403";

    /** The sandbox hospitals: hub, source label, hub EHP id, NIHII. */
    public record Site(String facility, String hub, String sourceLabel, String hubEhpId, String nihii, String name) {
    }

    public static final Site BRU = new Site("SANDBOX-BRU", "rsb", "RSBID", "1990000728", "71000040", "Sandbox Hospital Brussels");
    public static final Site GNT = new Site("SANDBOX-GNT", "cozo", "COZOID", "1990000134", "71000139", "Sandbox Hospital Ghent");
    public static final Site NAM = new Site("SANDBOX-NAM", "rsw", "RSWID", "1990000035", "71000337", "Sandbox Hospital Namur");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The sandbox's fixed demo key ({@code record-broker.document-id.key} in config/application-sandbox.yaml): a test
     * seals the ids of documents it declared itself as the broker's search would.
     */
    public static final DocumentIdCodec SANDBOX_IDS = new DocumentIdCodec(
            DocumentIdCodec.parseKey("BsWUSm+JCg9XIqXpTSjtLZwLbUD+cIHTZ5qWSGW5yBs=", "the sandbox document id key"));

    /** The id the broker hands out for this document (sealed under the sandbox's key). */
    public static String seal(DocumentId id) {
        return SANDBOX_IDS.encode(id);
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RetrievalFixtures(String base) {
        this.base = base;
    }

    /** The sandbox hub {@code code}'s own IntraHub port (not the broker's). */
    public IntraHubPortType hub(String code) {
        return be.recordbroker.kmehr.HubClients.create(IntraHubPortType.class,
                URI.create(base + "/sandbox/hubs/" + code + "/intrahub/v3"),
                new be.recordbroker.network.HttpEndpoint("", Duration.ofSeconds(5), Duration.ofSeconds(30)),
                org.apache.cxf.annotations.SchemaValidation.SchemaValidationType.BOTH);
    }

    /** A valid SSIN (born 1930-1998) that no earlier run used, so no cached fact or audit row decides for it. */
    public static String freshPatient() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(random.nextInt(365 * 69));
        String base = String.format("%02d%02d%02d%03d", birth.getYear() % 100, birth.getMonthValue(),
                birth.getDayOfMonth(), 1 + random.nextInt(997));
        return base + String.format("%02d", 97 - Long.parseLong(base) % 97);
    }

    /** A fresh patient with an active consent and a GP therapeutic link. */
    public String patientWithGp() {
        String patient = freshPatient();
        consent(patient);
        link(patient, GP, "gpconsultation");
        return patient;
    }

    static RequestType hubRequest() {
        return Kmehr.request(Kmehr.professionalParty(GP, null, "persphysician", "An", "Verstraeten"), OffsetDateTime.now());
    }

    public void consent(String patient) {
        PutPatientConsentRequestType put = new PutPatientConsentRequestType();
        put.setRequest(hubRequest());
        ConsentType consent = new ConsentType();
        consent.setPatient(Kmehr.patient(patient));
        CDCONSENT cd = new CDCONSENT();
        cd.setS(CDCONSENTschemes.CD_CONSENTTYPE);
        cd.setSV("1.0");
        cd.setValue(CDCONSENTvalues.RETROSPECTIVE);
        consent.getCd().add(cd);
        consent.setSigndate(Kmehr.date(LocalDate.now().minusYears(1)));
        put.setConsent(consent);
        assertThat(hub("cozo").putPatientConsent(put).getAcknowledge().isIscomplete()).isTrue();
    }

    public void link(String patient, String nihii, String type) {
        PutTherapeuticLinkRequestType put = new PutTherapeuticLinkRequestType();
        put.setRequest(hubRequest());
        TherapeuticLinkType link = new TherapeuticLinkType();
        link.setPatient(Kmehr.patient(patient));
        HCPartyIdType party = new HCPartyIdType();
        party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nihii));
        link.setHcparty(party);
        CDTHERAPEUTICLINK cd = new CDTHERAPEUTICLINK();
        cd.setS(CDTHERAPEUTICLINKschemes.CD_THERAPEUTICLINKTYPE);
        cd.setSV("1.0");
        cd.setValue(type);
        link.setCd(cd);
        link.setStartdate(Kmehr.date(LocalDate.now().minusMonths(1)));
        put.setTherapeuticlink(link);
        assertThat(hub("rsb").putTherapeuticLink(put).getAcknowledge().isIscomplete()).isTrue();
    }

    /**
     * Declares {@code localId} for {@code patient} at the site's hub, authored by the GP at that hospital, and returns
     * the broker's document id for it.
     */
    public String declare(Site site, String patient, String localId, String type, String mimeType) {
        DeclareTransactionRequestType declare = new DeclareTransactionRequestType();
        declare.setRequest(hubRequest());
        FolderType folder = new FolderType();
        folder.setPatient(Kmehr.patient(patient));
        TransactionSummaryType summary = new TransactionSummaryType();
        summary.getId().add(Kmehr.localId(site.sourceLabel(), localId));
        summary.getCd().add(Kmehr.cdTransaction(type));
        if (mimeType != null) {
            summary.getCd().add(Kmehr.localTransactionCode(Kmehr.SL_MEDIATYPE, mimeType, null));
        }
        summary.setDate(Kmehr.date(LocalDate.now()));
        summary.setTime(Kmehr.time(LocalTime.NOON));
        summary.setAuthor(Kmehr.author(Kmehr.professionalParty(GP, null, "persphysician", "An", "Verstraeten"),
                Kmehr.organisationParty(site.nihii(), "orghospital", site.name())));
        summary.setIscomplete(true);
        summary.setIsvalidated(true);
        summary.setRecorddatetime(Kmehr.dateTime(OffsetDateTime.now()));
        folder.setTransaction(summary);
        KmehrHeaderDeclareTransactionType header = new KmehrHeaderDeclareTransactionType();
        header.setFolder(folder);
        declare.setKmehrheader(header);
        var declared = hub(site.hub()).declareTransaction(declare);
        assertThat(declared.getAcknowledge().isIscomplete()).isTrue();
        return seal(new DocumentId(site.hubEhpId(), patient, site.sourceLabel(), localId));
    }

    /** Hides a declared document from a professional at its hub ({@code disallow}). */
    public void disallow(Site site, String localId, String nihii) {
        PutAccessRightRequestType put = new PutAccessRightRequestType();
        put.setRequest(hubRequest());
        AccessRightType right = new AccessRightType();
        TransactionIdType transaction = new TransactionIdType();
        transaction.getId().add(Kmehr.localId(site.sourceLabel(), localId));
        right.setTransaction(transaction);
        be.fgov.ehealth.hubservices.core.v3.HcpartyType party = new be.fgov.ehealth.hubservices.core.v3.HcpartyType();
        party.getId().add(Kmehr.hcpartyId(IDHCPARTYschemes.ID_HCPARTY, nihii));
        right.setHcparty(party);
        CDACCESSRIGHT cd = new CDACCESSRIGHT();
        cd.setS(CDACCESSRIGHTschemes.CD_ACCESSRIGHT);
        cd.setSV("1.0");
        cd.setValue(CDACCESSRIGHTvalues.DISALLOW);
        right.setCd(cd);
        put.setAccessright(right);
        assertThat(hub(site.hub()).putAccessRight(put).getAcknowledge().isIscomplete()).isTrue();
    }

    public String token(String nihii, String profession, String name) {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("nihii", nihii);
        claims.put("profession", profession);
        claims.put("name", name);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/token"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(claims))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body()).path("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String gpToken() {
        return token(GP, "persphysician", "An Verstraeten");
    }

    /** SHA-256 (hex) of a generated sandbox document ({@code GEN-<size>-<seed>[-<canary>]}), computed here. */
    public static String generatedSha256(String localId) {
        MessageDigest digest = sha256();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            SandboxSources.generated(localId).orElseThrow().writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 (hex) and byte count of a stream, read through a 64 KB buffer. */
    public record Digest(String sha256, long bytes) {
    }

    public static Digest digest(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            digest.update(buffer, 0, n);
            total += n;
        }
        return new Digest(HexFormat.of().formatHex(digest.digest()), total);
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
