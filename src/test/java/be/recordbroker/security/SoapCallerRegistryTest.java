package be.recordbroker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

import be.fgov.ehealth.hubservices.core.v3.RequestType;
import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.Ssin;
import be.recordbroker.kmehr.Kmehr;

/** Whom each SOAP caller may speak for, and how it is recognised (certificate subject, sandbox Basic secret). */
class SoapCallerRegistryTest {

    private static final String DOCTOR = "12345625004";

    private final SoapCallerRegistry registry = new SoapCallerRegistry(List.of(
            caller("hub", "CN=hub,O=Hub,C=BE", null, s -> s.setAnyProfessional(true)),
            caller("his", "C=BE, O=CHU, CN=his", null, s -> s.setInstitutionNihii("71000436")),
            caller("pharmacy-app", null, "01236379f4b45175bb3991b485b800180e1ccedea885bc1d8b1f23d6fe5c4a5e",
                    s -> s.setProfessions(List.of("persPharmacist"))),
            caller("citizen-app", null, null, s -> s.setPatients(List.of("78040814421"))),
            caller("nobody", null, null, s -> { })));

    @Test
    void aHubSpeaksForAnyProfessional() {
        assertThat(registry.speaksFor("hub", request(), doctor())).isTrue();
        assertThat(registry.speaksFor("hub", request(), citizen("78040814421"))).isTrue();
    }

    @Test
    void aHospitalsSoftwareSpeaksForItsOwnInstitutionsStaffOnly() {
        RequestType ownStaff = request(Kmehr.organisationParty("71000436001", "orghospital", "CHU"));
        RequestType otherHospital = request(Kmehr.organisationParty("71000733001", "orghospital", "UZ"));

        assertThat(registry.speaksFor("his", ownStaff, doctor())).isTrue();
        assertThat(registry.speaksFor("his", otherHospital, doctor())).isFalse();
        assertThat(registry.speaksFor("his", request(), doctor())).as("no institution named").isFalse();
    }

    @Test
    void professionsAndPatientsAreAllowlists() {
        Professional pharmacist = new Professional(Nihii.parse(DOCTOR, NihiiValidation.LENIENT), null,
                "perspharmacist", "P");
        assertThat(registry.speaksFor("pharmacy-app", request(), pharmacist)).isTrue();
        assertThat(registry.speaksFor("pharmacy-app", request(), doctor())).isFalse();
        assertThat(registry.speaksFor("citizen-app", request(), citizen("78040814421"))).isTrue();
        assertThat(registry.speaksFor("citizen-app", request(), citizen("62042023411"))).isFalse();
        assertThat(registry.speaksFor("citizen-app", request(), doctor())).isFalse();
        assertThat(registry.speaksFor("nobody", request(), doctor())).isFalse();
        assertThat(registry.speaksFor("unknown", request(), doctor())).isFalse();
        assertThat(registry.speaksFor(null, request(), doctor())).isFalse();
    }

    @Test
    void aCertificateSubjectMatchesInEitherOrderAndSpelling() {
        assertThat(registry.bySubject("CN=hub,O=Hub,C=BE").getUsername()).isEqualTo("hub");
        assertThat(registry.bySubject("c=be,o=hub,cn=HUB").getUsername()).isEqualTo("hub");
        assertThat(registry.bySubject("CN=his,O=CHU,C=BE").getUsername()).isEqualTo("his");
        assertThatThrownBy(() -> registry.bySubject("CN=hub,O=Other,C=BE")).isInstanceOf(UsernameNotFoundException.class);
    }

    @Test
    void basicChecksTheSecretsHash() {
        var basic = registry.basic();
        // SHA-256 of "pharmacy-secret"
        assertThat(basic.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("pharmacy-app",
                "pharmacy-secret")).getName()).isEqualTo("pharmacy-app");
        assertThatThrownBy(() -> basic.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("pharmacy-app",
                "wrong"))).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> basic.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("hub",
                "anything"))).as("no secret: no Basic").isInstanceOf(BadCredentialsException.class);
    }

    private static Professional doctor() {
        return new Professional(Nihii.parse(DOCTOR, NihiiValidation.LENIENT), null, "persphysician", "An Verstraeten");
    }

    private static Professional citizen(String ssin) {
        return new Professional(null, Ssin.parse(ssin), Professional.PATIENT, "Citizen");
    }

    private static RequestType request(be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType... more) {
        RequestType request = Kmehr.request(Kmehr.professionalParty(DOCTOR, null, "persphysician", "An", "Verstraeten"),
                OffsetDateTime.now());
        request.getAuthor().getHcparty().addAll(List.of(more));
        return request;
    }

    private static IdentityProperties.SoapCaller caller(String name, String subject, String secretSha256,
                                                        java.util.function.Consumer<IdentityProperties.SpeaksFor> rules) {
        IdentityProperties.SoapCaller caller = new IdentityProperties.SoapCaller();
        caller.setName(name);
        caller.setCertificateSubject(subject);
        caller.setSecretSha256(secretSha256);
        IdentityProperties.SpeaksFor speaksFor = new IdentityProperties.SpeaksFor();
        rules.accept(speaksFor);
        caller.setSpeaksFor(speaksFor);
        return caller;
    }
}
