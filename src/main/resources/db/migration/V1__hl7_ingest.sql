-- HL7 ingest ledger. Identifiers and states only: never message content (Original Source Principle).

-- Every message accepted (AA) by the MLLP listener, keyed by sending facility (MSH-4) and control id (MSH-10):
-- a message seen again is acknowledged again and not enqueued twice.
CREATE TABLE hl7_accepted (
    facility     VARCHAR(64)  NOT NULL,
    control_id   VARCHAR(199) NOT NULL,
    message_type VARCHAR(16)  NOT NULL,
    accepted_at  TIMESTAMP    NOT NULL,
    CONSTRAINT pk_hl7_accepted PRIMARY KEY (facility, control_id)
);

-- Every message the declaring consumer has applied at a hub: a message delivered twice by the queue (after a crash
-- between the hub call and the commit) is applied once.
CREATE TABLE hl7_applied (
    facility    VARCHAR(64)  NOT NULL,
    control_id  VARCHAR(199) NOT NULL,
    hub         VARCHAR(32)  NOT NULL,
    applied_at  TIMESTAMP    NOT NULL,
    CONSTRAINT pk_hl7_applied PRIMARY KEY (facility, control_id)
);

-- The documents a hospital has announced through its feed (TXA-12 or OBR-3), where they were declared and for whom,
-- with the declaration's metadata (never content): T10/T11 find their parent here, A40 re-declares a merged patient's
-- documents for the surviving patient.
CREATE TABLE hl7_document (
    facility        VARCHAR(64)   NOT NULL,
    document_number VARCHAR(199)  NOT NULL,
    patient_ssin    CHAR(11)      NOT NULL,
    hub             VARCHAR(32)   NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    type            VARCHAR(64)   NOT NULL,
    title           VARCHAR(256),
    document_time   TIMESTAMP WITH TIME ZONE NOT NULL,
    author_nihii    VARCHAR(11),
    author_name     VARCHAR(256),
    sha256          CHAR(64),
    size_bytes      BIGINT,
    mime_type       VARCHAR(128),
    source_pointer  VARCHAR(1024),
    updated_at      TIMESTAMP     NOT NULL,
    CONSTRAINT pk_hl7_document PRIMARY KEY (facility, document_number)
);
CREATE INDEX ix_hl7_document_patient ON hl7_document (facility, patient_ssin);
