package be.recordbroker.hl7;

import static be.recordbroker.hl7.Fixtures.PID;
import static be.recordbroker.hl7.Fixtures.msg;
import static be.recordbroker.hl7.Fixtures.msh;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentStripperTest {

    private static final String TXA = Fixtures.txa("T02", "DOC-1", "");
    private static final byte[] PDF = ("%PDF-1.4\n% CANARY-7f3a-DO-NOT-PERSIST\n" + "0123456789".repeat(30) + "\n%%EOF\n")
            .getBytes(StandardCharsets.US_ASCII);

    private static String mdmWith(String... obx) {
        String[] segments = new String[4 + obx.length];
        segments[0] = msh("MDM^T02^MDM_T02");
        segments[1] = "EVN|T02|20260322153000";
        segments[2] = PID;
        segments[3] = TXA;
        System.arraycopy(obx, 0, segments, 4, obx.length);
        return msg(segments);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void stripsBase64EdAndKeepsItsFingerprint() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(PDF);
        String er7 = mdmWith("OBX|1|ED|CR^Report^L||HOSP_A^AP^PDF^Base64^" + base64 + "||||||F");

        ContentStripper.Stripped s = ContentStripper.strip(er7);

        assertThat(s.contents()).containsExactly(new EmbeddedContent(sha256(PDF), PDF.length, "application/pdf", "1", 1,
                "Base64", true));
        assertThat(s.stripped()).isTrue();
        assertThat(s.problem()).isEmpty();
        assertThat(s.text()).contains("\rOBX|1|ED|CR^Report^L||HOSP_A^AP^PDF^Base64^||||||F\r");
        assertNoTraceOf(s.text(), base64, "CANARY-7f3a");
        // the message is still a valid MDM^T02 for HAPI, with its OBX
        Terser t = HapiJudge.parse(s.text());
        assertThat(HapiJudge.get(t, "/.OBX-2")).isEqualTo("ED");
        assertThat(HapiJudge.get(t, "/.OBX-5-4")).isEqualTo("Base64");
        assertThat(HapiJudge.get(t, "/.OBX-5-5")).isEmpty();
        assertThat(HapiJudge.get(t, "/.TXA-12")).isEqualTo("DOC-1");
    }

    /** No 16-char window of the encoded data, nor the canary text, survives. */
    private static void assertNoTraceOf(String text, String encoded, String canary) {
        for (int i = 0; i + 16 <= encoded.length(); i++) {
            String window = encoded.substring(i, i + 16);
            assertThat(text).as("window at %d", i).doesNotContain(window);
        }
        assertThat(text).doesNotContain(canary);
    }

    @Test
    void decodesBase64WithEscapedLineBreaksToTheSameBytes() throws Exception {
        String flat = Base64.getEncoder().encodeToString(PDF);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < flat.length(); i += 76) {
            lines.append(i > 0 ? "\\X0D\\\\X0A\\" : "").append(flat, i, Math.min(flat.length(), i + 76));
        }
        String mime = lines.toString();
        assertThat(mime).contains("\\X0D\\");
        ContentStripper.Stripped s = ContentStripper.strip(mdmWith("OBX|1|ED|CR||^AP^PDF^Base64^" + mime + "||||||F"));
        assertThat(s.contents().get(0).sha256()).isEqualTo(sha256(PDF));
        assertThat(s.contents().get(0).wellFormed()).isTrue();
        assertThat(s.text()).doesNotContain("X0D");
    }

    @Test
    void stripsHexEncoding() throws Exception {
        String hex = HexFormat.of().withUpperCase().formatHex(PDF);
        ContentStripper.Stripped s = ContentStripper.strip(mdmWith("OBX|1|ED|CR||^AP^PDF^Hex^" + hex + "||||||F"));
        assertThat(s.contents()).containsExactly(new EmbeddedContent(sha256(PDF), PDF.length, "application/pdf", "1", 1,
                "Hex", true));
        assertNoTraceOf(s.text(), hex, "CANARY");
    }

    @Test
    void stripsAsciiEncodingAfterUnescaping() throws Exception {
        String plain = "Report line|with a pipe^caret & more";
        String escaped = "Report line\\F\\with a pipe\\S\\caret \\T\\ more";
        ContentStripper.Stripped s = ContentStripper.strip(mdmWith("OBX|1|ED|CR||^TX^PLAIN^A^" + escaped + "||||||F"));
        assertThat(s.contents()).containsExactly(new EmbeddedContent(sha256(plain.getBytes(StandardCharsets.UTF_8)),
                plain.length(), "text/plain", "1", 1, "A", true));
        assertThat(s.text()).doesNotContain("Report line").contains("|^TX^PLAIN^A^|");
    }

    @ParameterizedTest(name = "{0}^{1} -> {2}")
    @CsvSource({
            "AP,PDF,application/pdf", "TX,,text/plain", "TEXT,PLAIN,text/plain", "TX,XML,text/xml",
            "TEXT,XML,text/xml", "AP,XML,text/xml", "IM,JPEG,image/jpeg", "IM,PNG,image/png", "AP,RTF,application/rtf",
            "AP,MSWORD,application/msword", ",text/html,text/html", ",text/rtf;charset=UTF8,text/rtf",
            "application,pdf,application/pdf", "AP,WHATEVER,application/octet-stream", ",,application/octet-stream"})
    void derivesTheMimeType(String type, String subtype, String mime) {
        String ed = "^" + (type == null ? "" : type) + "^" + (subtype == null ? "" : subtype) + "^Base64^AAECAwQF";
        ContentStripper.Stripped s = ContentStripper.strip(mdmWith("OBX|1|ED|CR||" + ed + "||||||F"));
        assertThat(s.contents()).singleElement().extracting(EmbeddedContent::mimeType).isEqualTo(mime);
    }

    @Test
    void sniffsTheTypeWhenTheMessageDoesNotSayIt() {
        String base64 = Base64.getEncoder().encodeToString(PDF);
        ContentStripper.Stripped s = ContentStripper.strip(mdmWith("OBX|1|ED|CR||^^^Base64^" + base64 + "||||||F"));
        assertThat(s.contents().get(0).mimeType()).isEqualTo("application/pdf");
    }

    @Test
    void keepsAReferencePointer() {
        String er7 = mdmWith("OBX|1|RP|CR^Report^L||https://his.hosp-a.be/docs/42^HIS&1.2.3&ISO^AP^PDF||||||F");
        ContentStripper.Stripped s = ContentStripper.strip(er7);
        assertThat(s.text()).isSameAs(InboundMessage.parse(er7).text());
        assertThat(s.contents()).isEmpty();
        assertThat(s.pointers()).containsExactly(new ReferencePointer("https://his.hosp-a.be/docs/42", "HIS", "AP", "PDF",
                "application/pdf", "1", 1));
    }

    @Test
    void leavesOrdinaryObservationsAlone() {
        String oru = Fixtures.oru();
        ContentStripper.Stripped s = ContentStripper.strip(oru);
        assertThat(s.text()).isSameAs(oru);
        assertThat(s.contents()).isEmpty();
        assertThat(s.pointers()).isEmpty();
        // a coded value whose 4th component happens to be "A" is not ED data
        String cwe = mdmWith("OBX|1|CWE|x||1234^Something^LN^A^alt text||||||F",
                "OBX|2|ST|hash||" + "ab12".repeat(16) + "||||||F",
                "OBX|3|TX|line||Patient presents with complaints of persistent headaches||||||F");
        assertThat(ContentStripper.strip(cwe).text()).isEqualTo(cwe);
    }

    @Test
    void stripsBareBase64SentAsText() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(PDF);
        assertThat(base64.length()).isGreaterThanOrEqualTo(ContentStripper.MIN_BARE_BASE64);
        ContentStripper.Stripped s = ContentStripper.strip(mdmWith("OBX|1|TX|CR||" + base64 + "||||||F"));
        assertThat(s.contents()).containsExactly(new EmbeddedContent(sha256(PDF), PDF.length, "application/pdf", "1", 1,
                "Base64", true));
        assertThat(s.text()).contains("\rOBX|1|TX|CR||||||||F\r");
    }

    @Test
    void stripsEveryObxAndRepetition() throws Exception {
        byte[] one = {1, 2, 3};
        byte[] two = "second".getBytes(StandardCharsets.US_ASCII);
        String b1 = Base64.getEncoder().encodeToString(one);
        String b2 = Base64.getEncoder().encodeToString(two);
        ContentStripper.Stripped s = ContentStripper.strip(mdmWith(
                "OBX|1|ED|A||^AP^PDF^Base64^" + b1 + "~^TX^PLAIN^Base64^" + b2 + "||||||F",
                "OBX|2|NM|x||5",
                "OBX|3|ED|B||^IM^PNG^Base64^" + b2 + "||||||F"));
        assertThat(s.contents()).extracting(EmbeddedContent::sha256, EmbeddedContent::obxSequence)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(sha256(one), 1),
                        org.assertj.core.groups.Tuple.tuple(sha256(two), 1),
                        org.assertj.core.groups.Tuple.tuple(sha256(two), 3));
        assertThat(s.text()).doesNotContain(b1).doesNotContain(b2)
                .contains("|^AP^PDF^Base64^~^TX^PLAIN^Base64^|").contains("\rOBX|2|NM|x||5\r");
    }

    @Test
    void flagsDataThatDoesNotDecode() {
        ContentStripper.Stripped s = ContentStripper.strip(mdmWith("OBX|1|ED|CR||^AP^PDF^Base64^AAEC*AwQ||||||F",
                "OBX|2|ED|CR||^AP^PDF^Hex^ABC||||||F", "OBX|3|ED|CR||^AP^PDF^UUENCODE^begin 644||||||F"));
        assertThat(s.contents()).extracting(EmbeddedContent::wellFormed).containsExactly(false, false, false);
        assertThat(s.contents().get(2).encoding()).isEqualTo("raw");
        assertThat(s.problem()).contains(new Hl7Error("102", "OBX^1^5", "Embedded data in OBX-5 is not valid Base64 data"));
        assertThat(s.text()).doesNotContain("AAEC").doesNotContain("ABC|").doesNotContain("begin 644");
    }

    @Test
    void anEmptyEdIsNothingToStrip() {
        String er7 = mdmWith("OBX|1|ED|CR||^AP^PDF^Base64^||||||F", "OBX|2|ED|CR||^AP||||||F");
        ContentStripper.Stripped s = ContentStripper.strip(er7);
        assertThat(s.contents()).isEmpty();
        assertThat(s.text()).isEqualTo(er7);
    }

    @Test
    void honoursCustomDelimiters() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(PDF);
        String er7 = msg("MSH#!@%*#HIS#HOSP_A#RB#RB#20260101##MDM!T02#C-1#P#2.5",
                "PID#1##" + Fixtures.SSIN + "!!!BE-NN!NN", "TXA#1#CR",
                "OBX#1#ED#CR##!AP!PDF!Base64!" + base64 + "######F");
        ContentStripper.Stripped s = ContentStripper.strip(er7);
        assertThat(s.contents()).singleElement().extracting(EmbeddedContent::sha256).isEqualTo(sha256(PDF));
        assertThat(s.text()).contains("OBX#1#ED#CR##!AP!PDF!Base64!######F");
    }

    @Test
    void streamsANearTenMegabyteDocument() throws Exception {
        byte[] big = new byte[7 * 1024 * 1024];
        new Random(42).nextBytes(big);
        System.arraycopy(PDF, 0, big, 0, 8);
        String base64 = Base64.getEncoder().encodeToString(big);
        String er7 = mdmWith("OBX|1|ED|CR||^AP^PDF^Base64^" + base64 + "||||||F");
        assertThat(er7.length()).isLessThan(10 * 1024 * 1024);

        ContentStripper.Stripped s = ContentStripper.strip(er7);

        assertThat(s.contents()).containsExactly(new EmbeddedContent(sha256(big), big.length, "application/pdf", "1", 1,
                "Base64", true));
        assertThat(s.text().length()).isLessThan(1024);
    }

    @Test
    void stripsASecondMessageSmuggledIntoTheSameFrameToo() {
        String two = Fixtures.mdm("T02") + Fixtures.mdm("T10");
        ContentStripper.Stripped s = ContentStripper.strip(two);
        assertThat(s.contents()).hasSize(2);
        assertThat(s.text()).doesNotContain("JVBER");
    }

    @Test
    void aNonHl7TextIsReturnedAsItIs() {
        assertThat(ContentStripper.strip("hello").text()).isEqualTo("hello\r"); // normalised, otherwise untouched
        assertThat(ContentStripper.strip("").contents()).isEmpty();
    }
}
