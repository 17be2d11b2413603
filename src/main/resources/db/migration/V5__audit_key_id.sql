-- The chain becomes keyed (HMAC-SHA-256 with a key kept outside the database): each row names the key its hash was
-- made with, so that keys can be rotated. Rows written before (plain SHA-256) keep key_id NULL; the broker accepts them
-- only up to record-broker.audit.unkeyed-rows-up-to (docs/security/audit.md).
ALTER TABLE audit_event ADD COLUMN key_id VARCHAR(32);
