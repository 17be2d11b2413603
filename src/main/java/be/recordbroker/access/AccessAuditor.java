package be.recordbroker.access;

/** Records a decision where the patient can read it; throws when it cannot (the access is then denied). */
public interface AccessAuditor {

    void record(AccessRequest request, AccessDecision decision);
}
