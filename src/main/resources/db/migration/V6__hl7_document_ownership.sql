-- Document ownership (issue 12): before acknowledging a declaration, replacement, cancellation or merge, the MLLP
-- listener asks who declared a document number at a hub, and whether other hospitals declared documents for a patient.
CREATE INDEX ix_hl7_document_number ON hl7_document (document_number, hub);
CREATE INDEX ix_hl7_document_ssin ON hl7_document (patient_ssin, status);
