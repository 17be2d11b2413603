package be.recordbroker.config;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import be.recordbroker.audit.AuditKeys;
import be.recordbroker.audit.LocalAuditKey;

/** The audit chain's keys from {@link AuditProperties}: given in prod (start-up refuses without), else generated once. */
final class AuditKeyConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AuditKeyConfiguration.class);

    private AuditKeyConfiguration() {
    }

    static AuditKeys keys(AuditProperties audit, Environment env, Path dataDir) {
        String key = audit.getKey();
        String keyId = audit.getKeyId();
        if (key == null || key.isBlank()) {
            if (env.acceptsProfiles(Profiles.of("prod"))) {
                throw new IllegalStateException("record-broker.audit.key is not set (env RECORD_BROKER_AUDIT_KEY): prod"
                        + " needs the audit chain's HMAC key, base64 of at least 32 bytes, kept outside the database");
            }
            Path dir = dataDir.resolve("audit");
            key = LocalAuditKey.loadOrCreate(dir);
            LOG.info("audit chain keyed with the local key in {} (record-broker.audit.key not set; prod requires it)",
                    dir);
        }
        return AuditKeys.of(keyId, key, audit.getRetiredKeys(), audit.getUnkeyedRowsUpTo());
    }
}
