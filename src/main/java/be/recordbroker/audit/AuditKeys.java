package be.recordbroker.audit;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The keys of the audit chain (HMAC-SHA-256), given from outside the database: the current key (its id is written in
 * every new row's {@code key_id}), retired keys (rows written under them still verify after a rotation), and up to which
 * row ({@code seq}) unkeyed rows — written before the chain was keyed — are accepted. An unkeyed row past that point, a
 * row naming an unknown key, or a row whose HMAC does not match is a broken chain: a rewrite by someone without the key.
 */
public final class AuditKeys {

    /** At least 32 bytes: a 256-bit HMAC key. */
    public static final int MIN_KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private final String currentId;
    private final Map<String, byte[]> keys;
    private final long unkeyedRowsUpTo;

    private AuditKeys(String currentId, Map<String, byte[]> keys, long unkeyedRowsUpTo) {
        this.currentId = currentId;
        this.keys = keys;
        this.unkeyedRowsUpTo = unkeyedRowsUpTo;
    }

    /**
     * The keys as configured.
     *
     * @param currentId       {@code record-broker.audit.key-id}
     * @param currentKey      {@code record-broker.audit.key}, base64
     * @param retired         {@code record-broker.audit.retired-keys.<id>}, base64
     * @param unkeyedRowsUpTo {@code record-broker.audit.unkeyed-rows-up-to}: the last seq written before the chain was
     *                        keyed (0: none)
     */
    public static AuditKeys of(String currentId, String currentKey, Map<String, String> retired, long unkeyedRowsUpTo) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(checkId(currentId, "record-broker.audit.key-id"), decode(currentKey, "record-broker.audit.key"));
        if (retired != null) {
            retired.forEach((id, key) -> {
                if (keys.containsKey(id)) {
                    throw new IllegalStateException("record-broker.audit.retired-keys." + id + ": the id is in use");
                }
                keys.put(checkId(id, "record-broker.audit.retired-keys"), decode(key,
                        "record-broker.audit.retired-keys." + id));
            });
        }
        return new AuditKeys(currentId, keys, Math.max(0, unkeyedRowsUpTo));
    }

    /**
     * No key: rows are written and verified as plain SHA-256 (the chain as it was before keys). Only for tools and
     * tests on old data; a broker always runs keyed.
     */
    public static AuditKeys unkeyed() {
        return new AuditKeys(null, Map.of(), Long.MAX_VALUE);
    }

    /** The id written into new rows, null when unkeyed. */
    public String currentId() {
        return currentId;
    }

    /** The row's hash under the key it names (SHA-256 for an unkeyed row). */
    String hash(String prevHash, AuditEvent row) {
        if (row.keyId() == null) {
            return AuditChain.hash(prevHash, row);
        }
        byte[] key = keys.get(row.keyId());
        if (key == null) {
            throw new IllegalStateException("audit key " + row.keyId() + " is not known");
        }
        return AuditChain.hmac(key, prevHash, row);
    }

    /** Why this row cannot be verified with these keys, or null when it can. */
    String unverifiable(AuditEvent row) {
        if (row.keyId() == null) {
            return row.seq() <= unkeyedRowsUpTo ? null : "row is not keyed (unkeyed rows are accepted up to row "
                    + unkeyedRowsUpTo + ", record-broker.audit.unkeyed-rows-up-to): written without the audit key";
        }
        return keys.containsKey(row.keyId()) ? null : "row names audit key '" + row.keyId()
                + "', which is not given (record-broker.audit.key or .retired-keys)";
    }

    private static String checkId(String id, String property) {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw new IllegalStateException(property + " must be 1 to 32 letters, digits, '.', '_' or '-'");
        }
        return id;
    }

    static byte[] decode(String base64, String property) {
        byte[] key;
        try {
            key = base64 == null ? new byte[0] : Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalStateException(property + " must be at least " + MIN_KEY_BYTES + " bytes (base64)");
        }
        return key;
    }
}
