package be.recordbroker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import be.recordbroker.sandbox.SandboxWorld.AuditEntry;

/** The sandbox hubs' audit trail: per hub, in order, the last {@code AUDIT_KEPT_PER_HUB} entries. */
class SandboxWorldAuditTest {

    @Test
    void eachHubKeepsItsLastEntriesInOrder() {
        SandboxWorld world = new SandboxWorld();
        int extra = 5;
        for (int i = 0; i < SandboxWorld.AUDIT_KEPT_PER_HUB + extra; i++) {
            world.audit(entry("rsb", "DOC-" + i));
        }
        world.audit(entry("cozo", "DOC-C"));

        List<AuditEntry> rsb = world.auditTrail("rsb", e -> true);
        assertThat(rsb).hasSize(SandboxWorld.AUDIT_KEPT_PER_HUB);
        assertThat(rsb.get(0).localId()).isEqualTo("DOC-" + extra); // the oldest went first
        assertThat(rsb.get(rsb.size() - 1).localId()).isEqualTo("DOC-" + (SandboxWorld.AUDIT_KEPT_PER_HUB + extra - 1));
        assertThat(world.auditTrail("cozo", e -> true)).extracting(AuditEntry::localId).containsExactly("DOC-C");
        assertThat(world.auditTrail("rsb", e -> e.localId().equals("DOC-7"))).hasSize(1);
        assertThat(world.auditTrail("rsw", e -> true)).isEmpty();
    }

    private static AuditEntry entry(String hub, String localId) {
        return new AuditEntry(hub, "61031512350", localId, "sumehr", "12345625004", "persphysician", Instant.now(), null);
    }
}
