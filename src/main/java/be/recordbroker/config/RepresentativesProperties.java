package be.recordbroker.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code record-broker.access.representatives.*}: who may act for another citizen (docs/domain.md, R8). */
@ConfigurationProperties(prefix = "record-broker.access.representatives")
public class RepresentativesProperties {

    /** A parent acts for his child while the child is younger than this (docs/domain.md, R8: under 12). */
    private int parentMaxAge = 12;
    /** How long the metahub's answer for one (representative, patient) pair is kept; failures are never kept. */
    private Duration cacheTtl = Duration.ofSeconds(30);

    public int getParentMaxAge() {
        return parentMaxAge;
    }

    public void setParentMaxAge(int parentMaxAge) {
        this.parentMaxAge = parentMaxAge;
    }

    public Duration getCacheTtl() {
        return cacheTtl;
    }

    public void setCacheTtl(Duration cacheTtl) {
        this.cacheTtl = cacheTtl;
    }
}
