package be.recordbroker.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash chain of the audit trail: {@code row_hash = HMAC-SHA-256(key, prev_hash + "\n" + canonical form)}, hex,
 * with a key kept outside the database ({@link AuditKeys}; the row names it in {@code key_id}), so that whoever can
 * write to the database but does not hold the key cannot rewrite the chain unseen. Rows from before the chain was keyed
 * ({@code key_id} null) are {@code SHA-256(prev_hash + "\n" + canonical form)}. The
 * canonical form lists every field but the hashes in a fixed order, each as {@code name=<length>:<value>} (or
 * {@code name=-} when null), one per line: no two different rows have the same form, whatever their values hold.
 */
public final class AuditChain {

    /** The hash before the first row. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    public static String hash(String prevHash, AuditEvent e) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
        sha256.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        sha256.update((byte) '\n');
        sha256.update(canonical(e).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The keyed hash of a row ({@code e.keyId()} must name {@code key}). */
    public static String hmac(byte[] key, String prevHash, AuditEvent e) {
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
        mac.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '\n');
        mac.update(canonical(e).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal());
    }

    static String canonical(AuditEvent e) {
        StringBuilder out = new StringBuilder(512);
        field(out, "seq", Long.toString(e.seq()));
        field(out, "recorded_at", e.recordedAt().toString());
        field(out, "request_id", e.requestId());
        field(out, "face", e.face());
        field(out, "actor_nihii", e.actorNihii());
        field(out, "actor_ssin", e.actorSsin());
        field(out, "actor_profession", e.actorProfession());
        field(out, "actor_name", e.actorName());
        field(out, "patient_ssin", e.patientSsin());
        field(out, "action", e.action());
        field(out, "document_id", e.documentId());
        field(out, "query", e.query());
        field(out, "decision", e.decision());
        field(out, "reason", e.reason());
        field(out, "break_the_glass", e.breakTheGlass());
        if (e.client() != null) { // rows written before the column existed hash as they did
            field(out, "client", e.client());
        }
        if (e.keyId() != null) { // unkeyed rows hash as they did
            field(out, "key_id", e.keyId());
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(name).append('=');
        if (value == null) {
            out.append('-');
        } else {
            out.append(value.length()).append(':').append(value);
        }
        out.append('\n');
    }
}
