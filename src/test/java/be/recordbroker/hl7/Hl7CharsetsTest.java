package be.recordbroker.hl7;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hl7CharsetsTest {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private static String message(String msh18) {
        return "MSH|^~\\&|HIS|HOSP_A|RB|RB|20260101||ADT^A01|C-1|P|2.5|||||BE|" + msh18
                + "\rPID|1||" + Fixtures.SSIN + "^^^BE-NN^NN||Hélène^Zoé\r";
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "ASCII;US-ASCII", "8859/1;ISO-8859-1", "8859/2;ISO-8859-2", "8859/9;ISO-8859-9", "8859/15;ISO-8859-15",
            "UNICODE UTF-8;UTF-8", "unicode utf-8;UTF-8", " UNICODE UTF-8 ;UTF-8", "UNICODE UTF-16;UTF-16",
            "UNICODE UTF-32;UTF-32", "UNICODE;UTF-16", "GB 18030-2000;GB18030", "KS X 1001;EUC-KR", "BIG-5;Big5",
            "ISO IR87;ISO-2022-JP", "UTF-8;UTF-8", "8859/1~UNICODE UTF-8;ISO-8859-1"})
    void mapsTable0211(String msh18, String javaName) {
        assertThat(Hl7Charsets.of(msh18, WINDOWS_1252)).isEqualTo(Charset.forName(javaName));
    }

    @Test
    void fallsBackWhenEmptyOrUnknown() {
        assertThat(Hl7Charsets.of(null, WINDOWS_1252)).isEqualTo(WINDOWS_1252);
        assertThat(Hl7Charsets.of("", WINDOWS_1252)).isEqualTo(WINDOWS_1252);
        assertThat(Hl7Charsets.of("code1", WINDOWS_1252)).isEqualTo(WINDOWS_1252);
        assertThat(Hl7Charsets.of("8859/1 x", WINDOWS_1252)).isEqualTo(WINDOWS_1252);
    }

    @Test
    void decodesLatin1DeclaredAs8859_1() {
        byte[] frame = message("8859/1").getBytes(ISO_8859_1);
        assertThat(Hl7Charsets.detect(frame, UTF_8)).isEqualTo(ISO_8859_1);
        InboundMessage m = InboundMessage.parse(Hl7Charsets.decode(frame, UTF_8));
        assertThat(m.text()).contains("Hélène^Zoé");
        assertThat(m.charset()).isEqualTo("8859/1");
    }

    @Test
    void decodesUtf8DeclaredAsUnicodeUtf8() {
        byte[] frame = message("UNICODE UTF-8").getBytes(UTF_8);
        assertThat(Hl7Charsets.detect(frame, ISO_8859_1)).isEqualTo(UTF_8);
        assertThat(Hl7Charsets.decode(frame, ISO_8859_1)).contains("Hélène^Zoé");
    }

    @Test
    void usesTheFallbackWithoutMsh18() {
        byte[] latin1 = ("MSH|^~\\&|HIS|HOSP_A|RB|RB|20260101||ADT^A01|C-1|P|2.5\rPID|1||x||Hélène\r").getBytes(ISO_8859_1);
        assertThat(Hl7Charsets.detect(latin1, ISO_8859_1)).isEqualTo(ISO_8859_1);
        assertThat(Hl7Charsets.decode(latin1, ISO_8859_1)).contains("Hélène");
        assertThat(Hl7Charsets.decode(latin1, US_ASCII)).doesNotContain("Hélène");
    }

    @Test
    void aBomMeansUtf8AndIsStripped() {
        byte[] body = "MSH|^~\\&|HIS|HOSP_A|RB|RB|20260101||ADT^A01|C-1|P|2.5\nPID|1||x||Zoé\n".getBytes(UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0xEF);
        frame.write(0xBB);
        frame.write(0xBF);
        frame.writeBytes(body);
        assertThat(Hl7Charsets.detect(frame.toByteArray(), ISO_8859_1)).isEqualTo(UTF_8);
        String text = Hl7Charsets.decode(frame.toByteArray(), ISO_8859_1);
        assertThat(text).startsWith("MSH|").endsWith("Zoé\r").doesNotContain("\n").doesNotContain("\uFEFF");
    }

    @Test
    void aDeclaredUtf16ContradictsTheBytesItWasReadFrom() {
        byte[] frame = message("UNICODE UTF-16").getBytes(ISO_8859_1);
        assertThat(Hl7Charsets.detect(frame, ISO_8859_1)).isEqualTo(ISO_8859_1);
    }

    @Test
    void honoursACustomFieldSeparatorAndRepetitionSeparator() {
        String text = "MSH#!@%*#HIS#HOSP_A#RB#RB#20260101##ADT!A01#C-1#P#2.5######UNICODE UTF-8@8859/1\rPID#1##x##Zoé\r";
        assertThat(Hl7Charsets.detect(text.getBytes(UTF_8), ISO_8859_1)).isEqualTo(UTF_8);
    }

    @Test
    void normalisesSegmentEndsAndDropsEmptySegments() {
        String crlf = "MSH|^~\\&|A|F|||x||ADT^A01|C|P|2.5\r\n\r\nPID|1\r\n\r\n\r\n";
        assertThat(Hl7Charsets.decode(crlf.getBytes(US_ASCII), US_ASCII)).isEqualTo("MSH|^~\\&|A|F|||x||ADT^A01|C|P|2.5\rPID|1\r");
        assertThat(Hl7Charsets.decode("MSH|^~\\&|A\nPID|1".getBytes(US_ASCII), US_ASCII)).isEqualTo("MSH|^~\\&|A\rPID|1\r");
        assertThat(Hl7Charsets.decode(new byte[0], US_ASCII)).isEmpty();
        assertThat(Hl7Charsets.decode("\r\n\r\n".getBytes(US_ASCII), US_ASCII)).isEmpty();
    }

    @Test
    void neverFailsOnGarbage() {
        assertThat(Hl7Charsets.detect(new byte[0], UTF_8)).isEqualTo(UTF_8);
        assertThat(Hl7Charsets.detect("MSH".getBytes(US_ASCII), UTF_8)).isEqualTo(UTF_8);
        assertThat(Hl7Charsets.detect("MSH|".getBytes(US_ASCII), UTF_8)).isEqualTo(UTF_8);
        assertThat(Hl7Charsets.detect(new byte[]{(byte) 0xEF, (byte) 0xBB}, ISO_8859_1)).isEqualTo(ISO_8859_1);
    }
}
