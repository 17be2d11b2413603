package be.recordbroker.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An ED's media type is kept only when the ingest ledger can hold it. */
class MimeTypesTest {

    @Test
    void aMediaTypeOverTheLedgersLengthIsNotTrusted() {
        String longest = "application/" + "x".repeat(MimeTypes.MAX_LENGTH - "application/".length());
        assertThat(MimeTypes.of("AP", longest)).isEqualTo(longest);
        assertThat(MimeTypes.of("AP", longest + "x")).isNull();
        assertThat(MimeTypes.of("AP", "application/pdf")).isEqualTo("application/pdf");
    }
}
