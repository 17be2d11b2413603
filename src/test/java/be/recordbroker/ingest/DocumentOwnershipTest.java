package be.recordbroker.ingest;

import static be.recordbroker.ingest.Hl7TestMessages.a40;
import static be.recordbroker.ingest.Hl7TestMessages.controlId;
import static be.recordbroker.ingest.Hl7TestMessages.mdm;
import static be.recordbroker.ingest.Hl7TestMessages.newSsin;
import static be.recordbroker.ingest.Hl7TestMessages.pdfWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import be.recordbroker.sandbox.SandboxNetwork;
import be.recordbroker.sandbox.SandboxWorld;

/**
 * A hospital may replace, cancel or merge only what it declared itself (issue 12), even with its own valid
 * certificate: forged A40/T02/T10/T11 against another hospital's documents get AR, are counted, and nothing changes
 * at the hub; the same messages for its own documents are accepted.
 */
class DocumentOwnershipTest extends MllpTlsBrokerTest {

    @Autowired
    SandboxNetwork sandbox;

    @Autowired
    IngestLedger ledger;

    private SandboxWorld world() {
        return sandbox.world();
    }

    private void awaitDocument(String hub, String number, SandboxWorld.Status status) {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                world().document(hub, number).map(d -> d.status() == status).orElse(false));
    }

    /** SANDBOX-BRU (hub rsb) declares a document for a patient of its own. */
    private String declaredByBrussels(String victim) throws Exception {
        String number = "BRU-OWN-" + controlId("d");
        String control = controlId("T02");
        assertThat(send(BRU, mdm("SANDBOX-BRU", "T02", control, victim, number, null, pdfWith("own"))))
                .contains("MSA|AA|" + control);
        awaitDocument("rsb", number, SandboxWorld.Status.AVAILABLE);
        // the ledger row is written just after the hub has it
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.document("SANDBOX-BRU", number).isPresent());
        return number;
    }

    @Test
    void aForgedA40FromAnotherHospitalIsRefusedAndTheVictimsDocumentsStay() throws Exception {
        String victim = newSsin();
        String attacker = newSsin();
        String number = declaredByBrussels(victim);
        double before = refused("TRUST-RSB2", DocumentOwnership.FOREIGN_PATIENT);

        // another hospital (its own certificate, its own MSH-4) merges the victim into its own patient
        String control = controlId("A40");
        String ack = send(RSB2, a40("TRUST-RSB2", control, attacker, victim));

        assertThat(ack).contains("MSA|AR|" + control).contains("ERR|").contains("206")
                .contains("MRG-1 names a patient with documents declared by another hospital");
        assertThat(refused("TRUST-RSB2", DocumentOwnership.FOREIGN_PATIENT)).isEqualTo(before + 1);
        Thread.sleep(1000);
        SandboxWorld.StoredDocument document = world().document("rsb", number).orElseThrow();
        assertThat(document.patient()).isEqualTo(victim);
        assertThat(document.status()).isEqualTo(SandboxWorld.Status.AVAILABLE);
    }

    @Test
    void aForgedT02WithAnotherHospitalsDocumentNumberIsRefusedAndTheHubKeepsTheOriginal() throws Exception {
        String victim = newSsin();
        String number = declaredByBrussels(victim);
        double before = refused("TRUST-RSB2", DocumentOwnership.FOREIGN_DOCUMENT);

        // same hub (rsb), same number: it would overwrite the Brussels document at the hub for another patient
        String control = controlId("T02X");
        String ack = send(RSB2, mdm("TRUST-RSB2", "T02", control, newSsin(), number, null, pdfWith("forged")));

        assertThat(ack).contains("MSA|AR|" + control).contains("205");
        assertThat(refused("TRUST-RSB2", DocumentOwnership.FOREIGN_DOCUMENT)).isEqualTo(before + 1);
        Thread.sleep(1000);
        assertThat(world().document("rsb", number).orElseThrow().patient()).isEqualTo(victim);
    }

    @Test
    void aForgedT11OrT10FromAnotherHospitalIsRefusedAndTheDocumentStaysAvailable() throws Exception {
        String victim = newSsin();
        String number = declaredByBrussels(victim);
        double before = refused("SANDBOX-GNT", DocumentOwnership.FOREIGN_DOCUMENT);

        // a hospital of another hub cancels it...
        String t11 = controlId("T11X");
        assertThat(send(GNT, mdm("SANDBOX-GNT", "T11", t11, victim, number, null, null)))
                .contains("MSA|AR|" + t11).contains("204").contains("TXA-12 names a document declared by another hospital");
        // ...or replaces it
        String t10 = controlId("T10X");
        assertThat(send(GNT, mdm("SANDBOX-GNT", "T10", t10, victim, "GNT-NEW-" + t10, number, pdfWith("x"))))
                .contains("MSA|AR|" + t10).contains("TXA-13 names a document declared by another hospital");
        // the same hub's other hospital likewise
        String t11b = controlId("T11Y");
        assertThat(send(RSB2, mdm("TRUST-RSB2", "T11", t11b, victim, number, null, null)))
                .contains("MSA|AR|" + t11b);

        assertThat(refused("SANDBOX-GNT", DocumentOwnership.FOREIGN_DOCUMENT)).isEqualTo(before + 2);
        Thread.sleep(1000);
        assertThat(world().document("rsb", number).orElseThrow().status()).isEqualTo(SandboxWorld.Status.AVAILABLE);
        assertThat(world().document("cozo", "GNT-NEW-" + t10)).isEmpty();
    }

    @Test
    void theDeclaringHospitalMayCancelAndMergeItsOwn() throws Exception {
        String patient = newSsin();
        String number = declaredByBrussels(patient);
        String survivor = newSsin();

        String a40 = controlId("A40OWN");
        assertThat(send(BRU, a40("SANDBOX-BRU", a40, survivor, patient))).contains("MSA|AA|" + a40);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                world().document("rsb", number).map(d -> d.patient().equals(survivor)).orElse(false));

        String t11 = controlId("T11OWN");
        assertThat(send(BRU, mdm("SANDBOX-BRU", "T11", t11, survivor, number, null, null)))
                .contains("MSA|AA|" + t11);
        awaitDocument("rsb", number, SandboxWorld.Status.REVOKED);
    }
}
