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

import org.junit.jupiter.api.Test;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

import be.recordbroker.domain.SealedTokens;

class PageLinksTest {

    static final String BASE = "http://broker.example/fhir";
    static final String PATIENT = "https://www.ehealth.fgov.be/standards/fhir/core/NamingSystem/ssin|78040814421";
    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    static final Duration TTL = Duration.ofHours(1);

    final SealedTokens tokens = new SealedTokens(new byte[32]);
    final PageLinks links = new PageLinks(tokens, Clock.fixed(NOW, ZoneOffset.UTC), TTL);

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
        parameters.put("type", new String[] {"labresult", "contactreport"});
        parameters.put("date", new String[] {"ge2024-01-01", "le2025-06-30"});
        parameters.put("_count", new String[] {"2"});
        return parameters;
    }

    /** The request a link makes, as HAPI parses it. */
    static SystemRequestDetails following(String link, String resource) {
        String token = link.substring(link.indexOf(PageLinks.PARAMETER + "=") + PageLinks.PARAMETER.length() + 1);
        Map<String, String[]> parameters = new LinkedHashMap<>();
        parameters.put(PageLinks.PARAMETER, new String[] {token});
        return request(resource, parameters);
    }

    @Test
    void aLinkNamesNoPatientAndGivesBackTheSearchAtItsPage() {
        String link = links.link(request("DocumentReference", search()), 4, 2);
        assertThat(link).startsWith(BASE + "/DocumentReference?" + PageLinks.PARAMETER + "=")
                .doesNotContain("78040814421").doesNotContain("patient").doesNotContain("labresult");

        SystemRequestDetails next = following(link, "DocumentReference");
        links.opened(next);
        assertThat(next.getParameters()).containsOnlyKeys("patient.identifier", "type", "date", "_count", "_offset");
        assertThat(next.getParameters().get("patient.identifier")).containsExactly(PATIENT);
        assertThat(next.getParameters().get("type")).containsExactly("labresult", "contactreport");
        assertThat(next.getParameters().get("date")).containsExactly("ge2024-01-01", "le2025-06-30");
        assertThat(next.getParameters().get("_offset")).containsExactly("4");
        assertThat(next.getParameters().get("_count")).containsExactly("2");
        assertThat(links.self(next)).as("the page's self link is the link it came by").isEqualTo(link);
    }

    @Test
    void aRequestWithoutATokenIsLeftAsItIs() {
        Map<String, String[]> parameters = search();
        SystemRequestDetails details = request("DocumentReference", parameters);
        links.opened(details);
        assertThat(details.getParameters()).containsOnlyKeys(parameters.keySet());
        assertThat(details.getParameters().get("patient.identifier")).containsExactly(PATIENT);
    }

    @Test
    void anExpiredLinkIsRefusedAndSaysSo() {
        String link = links.link(request("DocumentReference", search()), 2, 2);
        PageLinks later = new PageLinks(tokens, Clock.fixed(NOW.plus(TTL).plusSeconds(1), ZoneOffset.UTC), TTL);
        assertThatThrownBy(() -> later.opened(following(link, "DocumentReference")))
                .isInstanceOf(BaseServerResponseException.class).hasMessageContaining("expired")
                .satisfies(e -> assertThat(((BaseServerResponseException) e).getStatusCode()).isEqualTo(400));
    }

    @Test
    void anAlteredLinkOrOneOfAnotherTypeOrKeyOrWithParametersBesideIsRefused() {
        String link = links.link(request("DocumentReference", search()), 2, 2);
        String token = link.substring(link.indexOf('=') + 1);
        String altered = token.substring(0, 20) + (token.charAt(20) == 'A' ? 'B' : 'A') + token.substring(21);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        PageLinks otherBroker = new PageLinks(new SealedTokens(otherKey), Clock.fixed(NOW, ZoneOffset.UTC), TTL);
        Map<String, String[]> beside = new LinkedHashMap<>();
        beside.put(PageLinks.PARAMETER, new String[] {token});
        beside.put("_count", new String[] {"500"});
        for (Runnable bad : List.<Runnable>of(
                () -> links.opened(following("?" + PageLinks.PARAMETER + "=" + altered, "DocumentReference")),
                () -> links.opened(following(link, "AuditEvent")),
                () -> otherBroker.opened(following(link, "DocumentReference")),
                () -> links.opened(following("?" + PageLinks.PARAMETER + "=not-base64!", "DocumentReference")),
                () -> links.opened(request("DocumentReference", beside)))) {
            assertThatThrownBy(bad::run).isInstanceOf(BaseServerResponseException.class)
                    .hasMessageContaining(PageLinks.PARAMETER)
                    .satisfies(e -> assertThat(((BaseServerResponseException) e).getStatusCode()).isEqualTo(400));
        }
    }
}
