package be.recordbroker.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code record-broker.audit.*}: the audit chain's HMAC key, given from outside the database (docs/security/audit.md).
 * Required in prod; elsewhere, when not given, a key is generated once and kept in {@code <data-dir>/audit/}.
 */
@ConfigurationProperties("record-broker.audit")
public class AuditProperties {

    /** The current key, base64, at least 32 bytes (env RECORD_BROKER_AUDIT_KEY in prod). */
    private String key;
    /** The current key's id, written in every new row ({@code key_id}); change it with the key when rotating. */
    private String keyId = "k1";
    /** Keys rotated out, by id (base64): rows written under them still verify. */
    private Map<String, String> retiredKeys = new LinkedHashMap<>();
    /** The last row ({@code seq}) written before the chain was keyed: unkeyed rows up to it are accepted. 0: none. */
    private long unkeyedRowsUpTo;
    /**
     * How long the writer may hold a search's row, which nobody waits for while the hubs are asked, for the rows after
     * it to share its commit (GroupCommitAuditor); a row someone waits for is committed at once. 0: off.
     */
    private java.time.Duration commitDelay = java.time.Duration.ofMillis(25);

    public String getKey() { return key; }
    public void setKey(String key) { this.key = key; }
    public String getKeyId() { return keyId; }
    public void setKeyId(String keyId) { this.keyId = keyId; }
    public Map<String, String> getRetiredKeys() { return retiredKeys; }
    public void setRetiredKeys(Map<String, String> retiredKeys) { this.retiredKeys = retiredKeys; }
    public long getUnkeyedRowsUpTo() { return unkeyedRowsUpTo; }
    public void setUnkeyedRowsUpTo(long unkeyedRowsUpTo) { this.unkeyedRowsUpTo = unkeyedRowsUpTo; }
    public java.time.Duration getCommitDelay() { return commitDelay; }
    public void setCommitDelay(java.time.Duration commitDelay) { this.commitDelay = commitDelay; }
}
