package be.recordbroker.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;

import be.recordbroker.domain.Nihii;
import be.recordbroker.domain.Professional;
import be.recordbroker.domain.SealedTokens;
import be.recordbroker.security.CallerAuthentication;

class PageLinksTest {

    static final String BASE = "http://broker.example/fhir";
    static final String PATIENT = "https://www.ehealth.fgov.be/standards/fhir/core/NamingSystem/ssin|78040814421";
    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    static final Duration TTL = Duration.ofHours(1);

    final SealedTokens tokens = new SealedTokens(new byte[32]);
    final PageLinks links = new PageLinks(tokens, Clock.fixed(NOW, ZoneOffset.UTC), TTL);

    @AfterEach
    void noCaller() {
        SecurityContextHolder.clearContext();
    }

    static void callerIs(String nihii, String name) {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject(nihii).build();
        SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(
                new Professional(Nihii.parse(nihii, be.recordbroker.domain.NihiiValidation.LENIENT), null, "persphysician", name), "sandbox-portal", jwt));
    }

    static SystemRequestDetails request(String resource, Map<String, String[]> parameters) {
        SystemRequestDetails details = new SystemRequestDetails();
        details.setFhirServerBase(BASE);
        details.setResourceName(resource);
        details.setParameters(parameters);
        return details;
    }

    static Map<String, String[]> search() {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        parameters.put("patient.identifier", new String[] {PATIENT});
        parameters.put("type", new String[] {"labresult", "contact report+é,&=%/"});
        parameters.put("date", new String[] {"ge2024-01-01", "le2025-06-30"});
        parameters.put("_count", new String[] {"2"});
        return parameters;
    }

    /** The request a link makes, as HAPI parses it, with parameters the client adds. */
    static SystemRequestDetails following(String link, String resource, String... added) {
        String token = link.substring(link.indexOf(PageLinks.PARAMETER + "=") + PageLinks.PARAMETER.length() + 1);
        Map<String, String[]> parameters = new LinkedHashMap<>();
        parameters.put(PageLinks.PARAMETER, new String[] {token});
        for (int i = 0; i < added.length; i += 2) {
            parameters.put(added[i], new String[] {added[i + 1]});
        }
        return request(resource, parameters);
    }

    @Test
    void aLinkNamesNoPatientAndGivesBackTheSearchAtItsPageUntilItExpires() {
        callerIs("12345625004", "An Verstraeten");
        String link = links.link(request("DocumentReference", search()), 4, 2);
        assertThat(link).startsWith(BASE + "/DocumentReference?" + PageLinks.PARAMETER + "=")
                .doesNotContain("78040814421").doesNotContain("patient").doesNotContain("labresult");

        PageLinks lastSecond = new PageLinks(tokens, Clock.fixed(NOW.plus(TTL), ZoneOffset.UTC), TTL);
        SystemRequestDetails next = following(link, "DocumentReference");
        lastSecond.open(next);
        assertThat(next.getParameters()).containsOnlyKeys("patient.identifier", "type", "date", "_count", "_offset");
        assertThat(next.getParameters().get("patient.identifier")).containsExactly(PATIENT);
        assertThat(next.getParameters().get("type")).containsExactly("labresult", "contact report+é,&=%/");
        assertThat(next.getParameters().get("date")).containsExactly("ge2024-01-01", "le2025-06-30");
        assertThat(next.getParameters().get("_offset")).containsExactly("4");
        assertThat(next.getParameters().get("_count")).containsExactly("2");
        assertThat(links.self(next)).as("the page's self link is the link it came by").isEqualTo(link);
    }

    @Test
    void theClientMayAddHowItWantsTheAnswerPresented() {
        String link = links.link(request("DocumentReference", search()), 2, 2);
        SystemRequestDetails next = following(link, "DocumentReference", "_format", "json", "_pretty", "true");
        links.open(next);
        assertThat(next.getParameters().get("_format")).containsExactly("json");
        assertThat(next.getParameters().get("_pretty")).containsExactly("true");
        assertThat(next.getParameters().get("patient.identifier")).containsExactly(PATIENT);
    }

    @Test
    void aRequestWithoutATokenIsLeftAsItIs() {
        Map<String, String[]> parameters = search();
        SystemRequestDetails details = request("DocumentReference", parameters);
        links.open(details);
        assertThat(details.getParameters()).containsOnlyKeys(parameters.keySet());
        assertThat(details.getParameters().get("patient.identifier")).containsExactly(PATIENT);
    }

    @Test
    void anExpiredLinkIsRefusedAndSaysSo() {
        String link = links.link(request("DocumentReference", search()), 2, 2);
        PageLinks later = new PageLinks(tokens, Clock.fixed(NOW.plus(TTL).plusSeconds(1), ZoneOffset.UTC), TTL);
        assertThatThrownBy(() -> later.open(following(link, "DocumentReference")))
                .isInstanceOf(PageLinks.Refused.class).hasMessageContaining("expired");
    }

    @Test
    void aLinkIsOnlyForTheCallerItWasMadeFor() {
        callerIs("12345625004", "An Verstraeten");
        String link = links.link(request("DocumentReference", search()), 2, 2);
        callerIs("14567816000", "Sarah Haddad");
        assertThatThrownBy(() -> links.open(following(link, "DocumentReference")))
                .isInstanceOf(PageLinks.Refused.class).hasMessageContaining("another caller");
    }

    @Test
    void anAlteredLinkOrOneOfAnotherTypeOrKeyOrWithSearchParametersBesideIsRefused() {
        String link = links.link(request("DocumentReference", search()), 2, 2);
        String token = link.substring(link.indexOf('=') + 1);
        String altered = token.substring(0, 20) + (token.charAt(20) == 'A' ? 'B' : 'A') + token.substring(21);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        PageLinks otherBroker = new PageLinks(new SealedTokens(otherKey), Clock.fixed(NOW, ZoneOffset.UTC), TTL);
        for (Runnable bad : List.<Runnable>of(
                () -> links.open(following("?" + PageLinks.PARAMETER + "=" + altered, "DocumentReference")),
                () -> links.open(following(link, "AuditEvent")),
                () -> otherBroker.open(following(link, "DocumentReference")),
                () -> links.open(following("?" + PageLinks.PARAMETER + "=not-base64!", "DocumentReference")),
                () -> links.open(following(link, "DocumentReference", "_count", "500")),
                () -> links.open(following(link, "DocumentReference", "type", "labresult")))) {
            assertThatThrownBy(bad::run).isInstanceOf(PageLinks.Refused.class);
        }
    }

    @Test
    void theLifeOfALinkIsBounded() {
        for (Duration ttl : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(31), null}) {
            assertThatThrownBy(() -> new PageLinks(tokens, Clock.systemUTC(), ttl))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page-link-ttl");
        }
    }
}
