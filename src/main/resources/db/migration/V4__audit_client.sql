-- The software an access came through (a SOAP caller: a hub or a hospital's system; a bearer token's client), so
-- that a patient's trail names who vouched for the professional as well as the professional.
ALTER TABLE audit_event ADD COLUMN client VARCHAR(64);
