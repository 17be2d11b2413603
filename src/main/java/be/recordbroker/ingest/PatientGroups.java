package be.recordbroker.ingest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import be.recordbroker.domain.Ssin;

/**
 * A patient's JMS message group ({@code JMSXGroupID}: one patient's messages are declared in order): {@code p-} and the
 * first 12 bytes, hex, of HMAC-SHA256 of the SSIN under {@code record-broker.ingest.group-key}. Keyed because the group
 * id is visible outside the broker's own data — Artemis' console, Spring's listener container WARN lines — and an
 * unkeyed hash of an 11-digit SSIN (a birth date, a counter, a check) is reversed by trying them all. The key is
 * cluster-wide: every instance must give one patient the same group, or his messages could be declared out of order.
 * Changing it (or upgrading from the unkeyed id) needs the declaring queues drained first: docs/deployment.md.
 */
public final class PatientGroups {

    /** The group of a message whose patient is not known (no SSIN): one group, in order among themselves. */
    public static final String NO_PATIENT = "no-patient";
    /** The fewest key bytes accepted: the HMAC's own output length. */
    public static final int MIN_KEY_BYTES = 32;
    /**
     * The development value of {@code record-broker.ingest.group-key} (config/application.yaml): the sandbox, the tests
     * and the embedded default use it; prod refuses to start with it (ProdSettings).
     */
    public static final String DEVELOPMENT_KEY = "cmVjb3JkLWJyb2tlciBkZXZlbG9wbWVudCBncm91cCBrZXk=";

    private final SecretKeySpec key;
    /** One Mac per listener thread (Mac.getInstance looks the provider up each time; a Mac is not thread-safe). */
    private final ThreadLocal<Mac> macs;

    /** @param base64Key {@code record-broker.ingest.group-key}: base64, at least {@value #MIN_KEY_BYTES} bytes */
    public PatientGroups(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalStateException("record-broker.ingest.group-key (RECORD_BROKER_INGEST_GROUP_KEY) is not set:"
                    + " the patient group key (base64, at least " + MIN_KEY_BYTES + " bytes, the same on every instance)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("record-broker.ingest.group-key is not base64");
        }
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalStateException("record-broker.ingest.group-key has " + bytes.length + " bytes; at least "
                    + MIN_KEY_BYTES + " are needed");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The group of one patient's messages; {@link #NO_PATIENT} without one. */
    public String of(Ssin ssin) {
        if (ssin == null) {
            return NO_PATIENT;
        }
        byte[] mac = macs.get().doFinal(ssin.value().getBytes(StandardCharsets.US_ASCII));
        return "p-" + HexFormat.of().formatHex(mac, 0, 12);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
