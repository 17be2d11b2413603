package be.recordbroker.fhir;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code record-broker.fhir.*}: the FHIR face (docs/fhir.md). */
@ConfigurationProperties("record-broker.fhir")
public class FhirProperties {

    /**
     * How long a search's next/previous link stays good (PageLinks.java); past it the client gets a 400 and searches
     * again.
     */
    private Duration pageLinkTtl = Duration.ofHours(1);

    public Duration getPageLinkTtl() {
        return pageLinkTtl;
    }

    public void setPageLinkTtl(Duration pageLinkTtl) {
        this.pageLinkTtl = pageLinkTtl;
    }
}
