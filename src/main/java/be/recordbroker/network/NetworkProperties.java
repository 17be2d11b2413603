package be.recordbroker.network;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The network file ({@code config/network.yaml}) as bound by Spring. Field rules are bean-validation annotations;
 * rules across entries (unique codes, a hospital's hub must exist) are in {@link #crossCheck}. Both are applied by
 * {@link NetworkFileValidator}, which names the file, line and property of each mistake.
 */
@ConfigurationProperties(prefix = "record-broker.network")
public class NetworkProperties {

    @Valid
    @NotNull
    private Endpoint metahub = new Endpoint();

    @Valid
    @NotEmpty
    private List<HubEntry> hubs = new ArrayList<>();

    @Valid
    private List<HospitalEntry> hospitals = new ArrayList<>();

    public Endpoint getMetahub() { return metahub; }
    public void setMetahub(Endpoint metahub) { this.metahub = metahub; }
    public List<HubEntry> getHubs() { return hubs; }
    public void setHubs(List<HubEntry> hubs) { this.hubs = hubs; }
    public List<HospitalEntry> getHospitals() { return hospitals; }
    public void setHospitals(List<HospitalEntry> hospitals) { this.hospitals = hospitals; }

    /** A mistake that spans entries: the property path (Java names, as bean validation gives them) and why. */
    record Problem(String path, String message) {
    }

    List<Problem> crossCheck() {
        List<Problem> errors = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        Set<String> ehpIds = new HashSet<>();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < hubs.size(); i++) {
            HubEntry hub = hubs.get(i);
            if (hub.getCode() != null && !codes.add(hub.getCode())) {
                errors.add(new Problem("hubs[" + i + "].code", "hub code '" + hub.getCode() + "' is used twice"));
            }
            if (hub.getEhpId() != null && !ehpIds.add(hub.getEhpId())) {
                errors.add(new Problem("hubs[" + i + "].ehpId", "hub EHP id '" + hub.getEhpId() + "' is used twice"));
            }
            if (hub.getSourceLabel() != null && !labels.add(hub.getSourceLabel())) {
                errors.add(new Problem("hubs[" + i + "].sourceLabel",
                        "source label '" + hub.getSourceLabel() + "' is used twice"));
            }
        }
        Set<String> facilities = new HashSet<>();
        for (int i = 0; i < hospitals.size(); i++) {
            HospitalEntry hospital = hospitals.get(i);
            if (hospital.getHub() != null && !codes.contains(hospital.getHub())) {
                errors.add(new Problem("hospitals[" + i + "].hub",
                        "hospital hub '" + hospital.getHub() + "' is not one of the configured hubs " + codes));
            }
            if (hospital.getFacilityId() != null && !facilities.add(hospital.getFacilityId())) {
                errors.add(new Problem("hospitals[" + i + "].facilityId",
                        "facility id '" + hospital.getFacilityId() + "' is used twice"));
            }
            if (hospital.getTlsIdentity() != null && !hospital.getTlsIdentity().isBlank()) {
                try {
                    new javax.security.auth.x500.X500Principal(hospital.getTlsIdentity());
                } catch (IllegalArgumentException e) {
                    errors.add(new Problem("hospitals[" + i + "].tlsIdentity",
                            "must be a certificate subject DN such as CN=his.example.be,O=Example,C=BE"));
                }
            }
            if (hospital.getSource() != null && hospital.getSource().getKind() == SourceKind.REST
                    && hospital.getSource().getUrl() != null && !hospital.getSource().getUrl().contains("{localId}")) {
                errors.add(new Problem("hospitals[" + i + "].source.url",
                        "a REST document source URL must contain the {localId} placeholder"));
            }
        }
        return errors;
    }

    /** With MLLP over TLS every hospital names its certificate: one problem per hospital that does not. */
    List<Problem> tlsIdentityCheck(boolean required) {
        List<Problem> errors = new ArrayList<>();
        for (int i = 0; required && i < hospitals.size(); i++) {
            String identity = hospitals.get(i).getTlsIdentity();
            if (identity == null || identity.isBlank()) {
                errors.add(new Problem("hospitals[" + i + "].tlsIdentity", "required: MLLP runs over TLS with client "
                        + "certificates (record-broker.mllp.plaintext is false), so each hospital names its "
                        + "certificate's subject DN"));
            }
        }
        return errors;
    }

    /** Where something is reached over HTTP, and how long to wait for it. */
    public static class Endpoint {
        @NotBlank
        @Pattern(regexp = "(https?://\\S+|/\\S*)", message = "must be an http(s) URL or a path on this server")
        private String url;
        @NotNull
        private Duration connectTimeout = Duration.ofSeconds(2);
        @NotNull
        private Duration receiveTimeout = Duration.ofSeconds(10);

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public Duration getConnectTimeout() { return connectTimeout; }
        public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
        public Duration getReceiveTimeout() { return receiveTimeout; }
        public void setReceiveTimeout(Duration receiveTimeout) { this.receiveTimeout = receiveTimeout; }
    }

    /** A regional hub: its configured code, EHP id, transaction source label (SL) and IntraHub v3 endpoint. */
    public static class HubEntry extends Endpoint {
        @NotBlank
        @Pattern(regexp = "[a-z0-9-]{1,32}", message = "must be 1-32 lowercase letters, digits or '-'")
        private String code;
        @NotBlank
        private String name;
        @NotBlank
        @Pattern(regexp = "\\d{10}", message = "must be the hub's 10-digit EHP number")
        private String ehpId;
        @NotBlank
        @Pattern(regexp = "\\S+", message = "must not contain spaces")
        private String sourceLabel;

        public String getCode() { return code; }
        public void setCode(String code) { this.code = code; }
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getEhpId() { return ehpId; }
        public void setEhpId(String ehpId) { this.ehpId = ehpId; }
        public String getSourceLabel() { return sourceLabel; }
        public void setSourceLabel(String sourceLabel) { this.sourceLabel = sourceLabel; }
    }

    /** A hospital connected to the broker: its HL7 feed is known by MSH-4, its documents by their source. */
    public static class HospitalEntry {
        @NotBlank
        private String name;
        @NotBlank
        @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "must be the hospital's MSH-4 id (letters, digits, . _ -)")
        private String facilityId;
        @NotBlank
        @Pattern(regexp = "\\d{8}|\\d{11}", message = "must be an 8-digit institution NIHII (or 11 digits)")
        private String nihii;
        @NotBlank
        private String hub;
        @Valid
        @NotNull
        private Source source;
        /**
         * The subject DN of the client certificate this hospital's MLLP sender presents, e.g.
         * {@code CN=his.chu-a.be,O=CHU A,C=BE} (compared as an X.500 name). Required unless MLLP is plaintext.
         */
        private String tlsIdentity;

        public String getTlsIdentity() { return tlsIdentity; }
        public void setTlsIdentity(String tlsIdentity) { this.tlsIdentity = tlsIdentity; }
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getFacilityId() { return facilityId; }
        public void setFacilityId(String facilityId) { this.facilityId = facilityId; }
        public String getNihii() { return nihii; }
        public void setNihii(String nihii) { this.nihii = nihii; }
        public String getHub() { return hub; }
        public void setHub(String hub) { this.hub = hub; }
        public Source getSource() { return source; }
        public void setSource(Source source) { this.source = source; }
    }

    /** Where a hospital's documents are fetched from: REST (streamed bytes) or SOAP (KMEHR via GetTransaction). */
    public static class Source extends Endpoint {
        @NotNull
        private SourceKind kind;

        public SourceKind getKind() { return kind; }
        public void setKind(SourceKind kind) { this.kind = kind; }
    }

    public enum SourceKind { REST, SOAP }
}
