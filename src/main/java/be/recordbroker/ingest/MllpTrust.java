package be.recordbroker.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.x500.X500Principal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import be.recordbroker.hl7.Hl7Error;
import be.recordbroker.hl7.InboundMessage;
import be.recordbroker.hl7.IngestDecision;
import be.recordbroker.network.Hospital;
import be.recordbroker.network.Network;

/**
 * Who may speak for which hospital on MLLP. Over TLS every connection has a verified client certificate (camel-mllp
 * puts its subject on each exchange); each hospital of the network file names its certificate's subject DN
 * ({@code tls-identity}); a message whose MSH-4 is not a hospital of that certificate is refused (AR, ERR 204 at
 * MSH-4). DNs are compared as X.500 names (RFC 2253 canonical form: case, spacing and attribute-type spelling do not
 * matter), so {@code CN=his.chu-a.be, O=CHU A, C=BE} matches {@code cn=his.chu-a.be,o=CHU A,c=BE}. Several
 * hospitals may name the same certificate (one HIS serving several facilities). In plaintext mode (sandbox) there is
 * no certificate and MSH-4 alone names the hospital.
 *
 * <p>Also counts every refusal for trust reasons in {@code rb_hl7_refused_total{hospital,reason}}: hospital is a
 * facility id of the network file or {@code unknown}, reason one of the constants here or in
 * {@link DocumentOwnership}: bounded labels.
 */
public final class MllpTrust {

    public static final String FACILITY_MISMATCH = "facility-not-certificate";
    public static final String UNKNOWN_CERTIFICATE = "unknown-certificate";
    public static final String NO_CERTIFICATE = "no-certificate";

    private final boolean plaintext;
    private final Network network;
    private final Map<X500Principal, Set<String>> facilitiesByIdentity;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public MllpTrust(boolean plaintext, Network network, MeterRegistry meters) {
        this.plaintext = plaintext;
        this.network = network;
        this.meters = meters;
        Map<X500Principal, Set<String>> byIdentity = new LinkedHashMap<>();
        for (Hospital h : network.hospitals()) {
            if (h.tlsIdentity() != null && !h.tlsIdentity().isBlank()) {
                byIdentity.computeIfAbsent(new X500Principal(h.tlsIdentity()), k -> new TreeSet<>()).add(h.facilityId());
            }
        }
        this.facilitiesByIdentity = Map.copyOf(byIdentity);
    }

    public boolean plaintext() {
        return plaintext;
    }

    /** The refusal reason label and the AR, when the message may not be taken from this connection. */
    public record Refusal(String reason, String hospital, IngestDecision decision) {
    }

    /**
     * Checks MSH-4 against the connection's client certificate subject ({@code null} on a plain connection). Empty
     * when the message may go on.
     */
    public Optional<Refusal> check(InboundMessage m, String certificateSubject) {
        if (plaintext) {
            return Optional.empty();
        }
        if (certificateSubject == null || certificateSubject.isBlank()) {
            // cannot happen with client auth REQUIRED; refuse rather than trust MSH-4
            return Optional.of(new Refusal(NO_CERTIFICATE, "unknown", IngestDecision.reject(
                    Hl7Error.APPLICATION_INTERNAL_ERROR, "MSH^1^4", "no client certificate on this connection")));
        }
        Set<String> facilities = facilitiesOf(certificateSubject);
        if (facilities.isEmpty()) {
            return Optional.of(new Refusal(UNKNOWN_CERTIFICATE, "unknown", IngestDecision.reject(
                    Hl7Error.UNKNOWN_KEY_IDENTIFIER, "MSH^1^4",
                    "the client certificate is not the tls-identity of any hospital of the network")));
        }
        if (!facilities.contains(m.sendingFacility())) {
            return Optional.of(new Refusal(FACILITY_MISMATCH, facilities.iterator().next(), IngestDecision.reject(
                    Hl7Error.UNKNOWN_KEY_IDENTIFIER, "MSH^1^4",
                    "MSH-4 is not a hospital of this connection's client certificate")));
        }
        return Optional.empty();
    }

    /** The facilities whose tls-identity is this subject DN (as camel-mllp gives it: X500Principal.toString()). */
    public Set<String> facilitiesOf(String certificateSubject) {
        try {
            return facilitiesByIdentity.getOrDefault(new X500Principal(certificateSubject), Set.of());
        } catch (IllegalArgumentException notADn) {
            return Set.of();
        }
    }

    /** Counts a refusal; {@code hospital} must be a facility id of the network file or it is counted as unknown. */
    public void refused(String hospital, String reason) {
        String tag = hospital != null && network.hospital(hospital).isPresent() ? hospital : "unknown";
        counters.computeIfAbsent(tag + '\u0000' + reason, k -> Counter.builder("rb.hl7.refused")
                .description("HL7 messages refused (AR) because the sender may not send them: certificate, ownership")
                .tag("hospital", tag).tag("reason", reason).register(meters)).increment();
    }

    /** The hospitals without a tls-identity (none may send over TLS): named at start-up. */
    public static List<String> withoutIdentity(Network network) {
        return network.hospitals().stream()
                .filter(h -> h.tlsIdentity() == null || h.tlsIdentity().isBlank())
                .map(Hospital::facilityId).toList();
    }
}
