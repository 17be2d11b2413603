package be.recordbroker.config;

import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code record-broker.access.*}: the access gate's rules and fact cache (docs/access-and-audit.md). */
@ConfigurationProperties("record-broker.access")
public class AccessProperties {

    /** The CSV grid profession × CD-TRANSACTION → none|list|read. */
    private String matrixFile = "config/access-matrix.csv";
    /** Hubs asked for consent and therapeutic links (national registries every hub relays), in order; empty = all. */
    private List<String> factHubs = new ArrayList<>();
    /** How long a fetched fact is believed. */
    private Duration factsCacheTtl = Duration.ofSeconds(30);
    /** After this age a fact is still answered from the cache but fetched again in the background (≥ TTL: never). */
    private Duration factsCacheRefreshAfter = Duration.ofSeconds(20);
    private long factsCacheSize = 100_000;
    /** The day of an access (consent, link dates) is taken in this zone. */
    private String zone = "Europe/Brussels";
    /** The ID-HCPARTY the broker puts as author of its own requests to hubs. */
    private String applicationId = "record-broker";
    private final BreakTheGlass breakTheGlass = new BreakTheGlass();
    /** Link type (CD-THERAPEUTICLINKTYPE) → its longest life and the professions it serves. */
    private Map<String, LinkType> linkTypes = new LinkedHashMap<>();

    public static class BreakTheGlass {
        private List<String> professions = new ArrayList<>(List.of("persphysician"));
        private int minLength = 10;
        private int maxLength = 200;

        public List<String> getProfessions() { return professions; }
        public void setProfessions(List<String> professions) { this.professions = professions; }
        public int getMinLength() { return minLength; }
        public void setMinLength(int minLength) { this.minLength = minLength; }
        public int getMaxLength() { return maxLength; }
        public void setMaxLength(int maxLength) { this.maxLength = maxLength; }
    }

    public static class LinkType {
        private Period maxDuration;
        private List<String> professions = new ArrayList<>();

        public Period getMaxDuration() { return maxDuration; }
        public void setMaxDuration(Period maxDuration) { this.maxDuration = maxDuration; }
        public List<String> getProfessions() { return professions; }
        public void setProfessions(List<String> professions) { this.professions = professions; }
    }

    public String getMatrixFile() { return matrixFile; }
    public void setMatrixFile(String matrixFile) { this.matrixFile = matrixFile; }
    public List<String> getFactHubs() { return factHubs; }
    public void setFactHubs(List<String> factHubs) { this.factHubs = factHubs; }
    public Duration getFactsCacheTtl() { return factsCacheTtl; }
    public void setFactsCacheTtl(Duration factsCacheTtl) { this.factsCacheTtl = factsCacheTtl; }
    public Duration getFactsCacheRefreshAfter() { return factsCacheRefreshAfter; }
    public void setFactsCacheRefreshAfter(Duration factsCacheRefreshAfter) { this.factsCacheRefreshAfter = factsCacheRefreshAfter; }
    public long getFactsCacheSize() { return factsCacheSize; }
    public void setFactsCacheSize(long factsCacheSize) { this.factsCacheSize = factsCacheSize; }
    public String getZone() { return zone; }
    public void setZone(String zone) { this.zone = zone; }
    public String getApplicationId() { return applicationId; }
    public void setApplicationId(String applicationId) { this.applicationId = applicationId; }
    public BreakTheGlass getBreakTheGlass() { return breakTheGlass; }
    public Map<String, LinkType> getLinkTypes() { return linkTypes; }
    public void setLinkTypes(Map<String, LinkType> linkTypes) { this.linkTypes = linkTypes; }
}
