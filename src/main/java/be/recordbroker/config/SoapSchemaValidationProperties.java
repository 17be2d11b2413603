package be.recordbroker.config;

import org.apache.cxf.annotations.SchemaValidation.SchemaValidationType;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code record-broker.soap.schema-validation.*} (issue 12, "what we send is what we promise"): which directions of
 * the SOAP traffic CXF validates against the schemas the broker serves ({@code NONE}, {@code IN}, {@code OUT},
 * {@code BOTH}). The sandbox profile and the tests set {@code BOTH} on both, so every message either side sends is
 * checked there; docs/security/soap.md says why prod differs.
 */
@ConfigurationProperties("record-broker.soap.schema-validation")
public class SoapSchemaValidationProperties {

    /**
     * The broker's own SOAP face. Prod: {@code IN} — a request that does not validate is refused with a SOAP fault
     * before any route runs; the answers, built by code that the tests validate ({@code BOTH}), are not re-validated
     * on every call (a bug there would turn an answer into a fault, with no gain for the caller).
     */
    private SchemaValidationType face = SchemaValidationType.IN;

    /**
     * The broker's clients of hubs, the metahub and SOAP document sources. Prod: {@code OUT} — what the broker sends
     * is checked; answers are not, since real hubs send elements and codes beyond the project's schema subset, which
     * the broker skips.
     */
    private SchemaValidationType clients = SchemaValidationType.OUT;

    public SchemaValidationType getFace() { return face; }
    public void setFace(SchemaValidationType face) { this.face = face; }
    public SchemaValidationType getClients() { return clients; }
    public void setClients(SchemaValidationType clients) { this.clients = clients; }
}
