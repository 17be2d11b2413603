-- Audit trail of every access decision (allowed or denied). Identifiers and codes only: never document content.
-- Append-only (the vendor migrations add a trigger refusing UPDATE and DELETE) and chained: each row's hash is the
-- SHA-256 of the previous row's hash and the row's canonical form (be.recordbroker.audit.AuditChain), so that a row
-- changed or removed behind the broker's back is found by the verification.
CREATE TABLE audit_event (
    seq               BIGINT        NOT NULL,
    recorded_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    request_id        VARCHAR(64)   NOT NULL,
    face              VARCHAR(8)    NOT NULL,
    actor_nihii       VARCHAR(11),
    actor_ssin        CHAR(11),
    actor_profession  VARCHAR(64),
    actor_name        VARCHAR(256),
    patient_ssin      CHAR(11),
    action            VARCHAR(16)   NOT NULL,
    document_id       VARCHAR(512),
    query             VARCHAR(512),
    decision          VARCHAR(5)    NOT NULL,
    reason            VARCHAR(32)   NOT NULL,
    break_the_glass   VARCHAR(200),
    prev_hash         CHAR(64)      NOT NULL,
    row_hash          CHAR(64)      NOT NULL,
    CONSTRAINT pk_audit_event PRIMARY KEY (seq)
);
CREATE INDEX ix_audit_event_patient ON audit_event (patient_ssin, seq);

-- The end of the chain, one row: appends lock it (SELECT ... FOR UPDATE), so that several broker instances sharing
-- the database still write one chain; the verification checks it against the last row (a removed tail shows).
CREATE TABLE audit_head (
    id        INT       NOT NULL,
    seq       BIGINT    NOT NULL,
    row_hash  CHAR(64)  NOT NULL,
    CONSTRAINT pk_audit_head PRIMARY KEY (id)
);
INSERT INTO audit_head (id, seq, row_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
