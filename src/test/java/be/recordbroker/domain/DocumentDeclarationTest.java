package be.recordbroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

/** What a feed's declaration keeps: its free text cut to what the ledger holds, its document number refused past 199. */
class DocumentDeclarationTest {

    private static final Ssin PATIENT = Ssin.parse("78040814421");

    private static DocumentDeclaration declaration(String localId, String title, String family) {
        return new DocumentDeclaration("HOSP_A", "71000436", "Hospital A", PATIENT, localId, "labresult", title,
                OffsetDateTime.parse("2026-03-22T15:00:00+01:00"),
                new DocumentDeclaration.AuthorRef("12345625004", family, "An"), null, null);
    }

    @Test
    void aTitleOrAnAuthorNameOverTheLimitIsCutAndMarked() {
        String exact = "t".repeat(DocumentDeclaration.MAX_TEXT);
        DocumentDeclaration kept = declaration("DOC-1", exact, "Peeters");
        assertThat(kept.title()).isEqualTo(exact);
        assertThat(kept.author().familyName()).isEqualTo("Peeters");

        DocumentDeclaration cut = declaration("DOC-1", "t".repeat(300), "n".repeat(300));
        assertThat(cut.title()).hasSize(DocumentDeclaration.MAX_TEXT).endsWith("t…");
        assertThat(cut.author().familyName()).hasSize(DocumentDeclaration.MAX_TEXT).endsWith("n…");
    }

    @Test
    void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
        // 254 letters, then emoji (two chars each): the cut at 255 would fall between the two halves of one
        String title = "t".repeat(254) + "\uD83D\uDE00".repeat(10);

        String cut = declaration("DOC-1", title, null).title();

        assertThat(cut).endsWith("t…").hasSize(255);
    }

    @Test
    void aDocumentNumberOver199IsRefused() {
        assertThat(declaration("D".repeat(199), "x", null).localId()).hasSize(199);
        assertThatThrownBy(() -> declaration("D".repeat(200), "x", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
