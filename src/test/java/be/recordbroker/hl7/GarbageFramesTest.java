package be.recordbroker.hl7;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import be.recordbroker.hl7.IngestDecision.Outcome;

/** Whatever arrives gets a decision and, unless it is an ACK, an acknowledgment HAPI can read; never an exception. */
class GarbageFramesTest {

    private final Pipeline pipeline = new Pipeline(new IngestRules(IngestRules.Config.defaults()),
            Fixtures.FACILITY::equals, ISO_8859_1);

    private Terser arFor(byte[] frame, String err3) {
        Pipeline.Result r = pipeline.run(frame);
        assertThat(r.decision().outcome()).isEqualTo(Outcome.REJECT);
        assertThat(r.decision().error().code()).isEqualTo(err3);
        Terser t = HapiJudge.parse(r.ack().orElseThrow());
        assertThat(HapiJudge.get(t, "/MSA-1")).isEqualTo("AR");
        assertThat(HapiJudge.get(t, "/ERR-3-1")).isEqualTo(err3);
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "MSH", "   \r\n", "PID|1||x\rMSH|^~\\&|A", "\u000bMSH\u001c\r", "MSH1ADT"})
    void nonHl7FramesGetAnAr100(String frame) {
        Terser t = arFor(frame.getBytes(UTF_8), "100");
        assertThat(HapiJudge.get(t, "/MSA-2")).isEmpty();
    }

    @Test
    void randomBytesGetAnAr() {
        Random random = new Random(20260322);
        for (int i = 0; i < 200; i++) {
            byte[] frame = new byte[random.nextInt(300)];
            random.nextBytes(frame);
            Pipeline.Result r = pipeline.run(frame);
            assertThat(r.decision().outcome()).isEqualTo(Outcome.REJECT);
            HapiJudge.parse(r.ack().orElseThrow());
        }
    }

    @Test
    void randomBytesAfterAnMshGetAnAr() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] tail = new byte[random.nextInt(300)];
            random.nextBytes(tail);
            byte[] frame = new byte[tail.length + 4];
            System.arraycopy("MSH|".getBytes(US_ASCII), 0, frame, 0, 4);
            System.arraycopy(tail, 0, frame, 4, tail.length);
            Pipeline.Result r = pipeline.run(frame);
            assertThat(r.decision().outcome()).isIn(Outcome.REJECT, Outcome.IGNORE);
            r.ack().ifPresent(HapiJudge::parse);
        }
    }

    @Test
    void mutatedMessagesGetAnAckHapiCanReadOrNone() {
        Pipeline lenient = new Pipeline(new IngestRules(IngestRules.Config.defaults()), f -> true, ISO_8859_1);
        String[] seeds = {Fixtures.adt("A01"), Fixtures.mdm("T02"), Fixtures.oru(), Fixtures.a40(),
                "MSH#!@%*#SENDER#FAC#RECV#FAC#20260301120000##ADT!A01#MSG007#P#2.5###AL\rPID#1##" + Fixtures.SSIN
                        + "!!!X!NN\r"};
        String likely = "|^~\\&#\r\n.ACK ";
        Random random = new Random(11);
        for (int i = 0; i < 5000; i++) {
            byte[] frame = seeds[random.nextInt(seeds.length)].getBytes(ISO_8859_1);
            for (int k = 1 + random.nextInt(6); k > 0; k--) {
                int pos = random.nextInt(frame.length);
                frame[pos] = random.nextBoolean() ? (byte) random.nextInt(256)
                        : (byte) likely.charAt(random.nextInt(likely.length()));
            }
            Pipeline.Result r = lenient.run(frame);
            r.ack().ifPresent(HapiJudge::parse);
        }
    }

    @Test
    void anMshWithoutFieldsGetsAr101() {
        arFor("MSH|^~\\&".getBytes(US_ASCII), "101");
        arFor("MSH|".getBytes(US_ASCII), "101");
    }

    @Test
    void aMessageWithLfSeparatorsIsAccepted() {
        Pipeline.Result r = pipeline.run(Fixtures.adt("A01").replace("\r", "\n").getBytes(US_ASCII));
        assertThat(r.decision().outcome()).isEqualTo(Outcome.ACCEPT);
        assertThat(HapiJudge.get(HapiJudge.parse(r.ack().orElseThrow()), "/MSA-1")).isEqualTo("AA");
    }

    @Test
    void aBomPrefixedMessageIsAccepted() {
        byte[] body = Fixtures.mdm("T02").replace("\r", "\r\n").getBytes(UTF_8);
        byte[] frame = new byte[body.length + 3];
        frame[0] = (byte) 0xEF;
        frame[1] = (byte) 0xBB;
        frame[2] = (byte) 0xBF;
        System.arraycopy(body, 0, frame, 3, body.length);
        Pipeline.Result r = pipeline.run(frame);
        assertThat(r.decision().outcome()).isEqualTo(Outcome.ACCEPT);
        assertThat(r.stripped().contents()).hasSize(1);
        assertThat(r.stripped().text()).startsWith("MSH|").doesNotContain("JVBER");
        Terser t = HapiJudge.parse(r.ack().orElseThrow());
        assertThat(HapiJudge.get(t, "/MSA-1")).isEqualTo("AA");
        assertThat(HapiJudge.get(t, "/MSA-2")).isEqualTo("CTRL-0001");
    }

    @Test
    void malformedEmbeddedDataTurnsAnAcceptIntoAnAe102() {
        String er7 = Fixtures.mdm("T02").replace("JVBERi0xLjQKJUNBTkFSWQo=", "JVBERi0x*LjQK");
        Pipeline.Result r = pipeline.run(er7.getBytes(US_ASCII));
        assertThat(r.decision().outcome()).isEqualTo(Outcome.ERROR);
        Terser t = HapiJudge.parse(r.ack().orElseThrow());
        assertThat(HapiJudge.get(t, "/MSA-1")).isEqualTo("AE");
        assertThat(HapiJudge.get(t, "/ERR-3-1")).isEqualTo("102");
        assertThat(HapiJudge.get(t, "/ERR-2-1")).isEqualTo("OBX");
    }
}
