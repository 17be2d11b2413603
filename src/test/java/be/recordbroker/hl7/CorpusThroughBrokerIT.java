package be.recordbroker.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import be.recordbroker.Corpora;
import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.conformance.Conformance;

/**
 * The corpus run: every HL7 message of {@code ../shared/corpora/hl7} ({@link Corpora}), as its bytes stand in the
 * file, sent to the running broker over MLLP. Each gets an answer (AA, AE, AR or their enhanced-mode forms) — except an inbound ACK,
 * which HL7 says is never acknowledged, and an empty frame, which camel-mllp does not deliver — and the broker keeps
 * serving afterwards. Counts per folder are printed and written as the "hl7-mllp" section of the conformance report
 * (docs/conformance.md).
 */
class CorpusThroughBrokerIT extends SandboxIntegrationTest {

    @Test
    void everyCorpusMessageSentToTheBrokerGetsAnAnswer() throws Exception {
        Path root = Corpora.require("hl7");
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        int frames = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                if (file.getFileName().toString().equals("MANIFEST.txt")) {
                    continue;
                }
                String folder = root.relativize(file).getName(0).toString();
                for (byte[] frame : Hl7CorpusIT.split(Files.readAllBytes(file))) {
                    frames++;
                    String answer = exchange(frame);
                    String code = answer == null || answer.isEmpty() ? "none" : msa1(answer);
                    if (code.equals("none")) {
                        // camel-mllp does not pass an empty frame (no bytes between the MLLP marks) to the route
                        assertThat(isAck(frame) || new String(frame, StandardCharsets.ISO_8859_1).isBlank())
                                .as("only an inbound ACK or an empty frame may go unanswered: " + file).isTrue();
                    } else {
                        assertThat(code).as(file.toString()).isIn("AA", "AE", "AR", "CA", "CE", "CR");
                    }
                    counts.computeIfAbsent(folder, k -> new TreeMap<>()).merge(code, 1, Integer::sum);
                }
            }
        }
        System.out.println("corpus run through the broker (" + frames + " frames): answers by folder");
        report(frames, counts);
        counts.forEach((folder, byCode) -> System.out.printf("  %-22s %s%n", folder, byCode));
        assertThat(frames).isGreaterThan(100);
        // and the broker still answers normally
        String check = "MSH|^~\\&|T|SANDBOX-BRU|R|R|20261122||ADT^A28^ADT_A05|CORPUS-END-" + System.nanoTime()
                + "|P|2.5\rEVN|A28\rPID|1||85073003328^^^BE-NN^NN||X^Y\r";
        assertThat(msa1(exchange(check.getBytes(StandardCharsets.ISO_8859_1)))).isEqualTo("AA");
    }

    /** The "hl7-mllp" section: answers over MLLP by folder (a frame reaching here got a lawful answer or none). */
    private static void report(int frames, Map<String, Map<String, Integer>> counts) {
        Map<String, Integer> total = new TreeMap<>();
        counts.values().forEach(m -> m.forEach((k, v) -> total.merge(k, v, Integer::sum)));
        StringBuilder md = new StringBuilder("## HL7 v2 over MLLP: the running broker\n\n")
                .append("Every frame of the HL7 corpus, as its bytes stand, sent to the running broker over MLLP, one")
                .append(" connection each (`CorpusThroughBrokerIT`); afterwards the broker still accepts a valid")
                .append(" message.\n\n- frames: ").append(frames)
                .append("\n- answered AA/AE/AR (or CA/CE/CR), or rightly unanswered (an inbound ACK; an empty frame,")
                .append(" which camel-mllp does not deliver): **").append(Conformance.rate(frames, frames))
                .append("**\n- accepted (AA): ").append(Conformance.rate(total.getOrDefault("AA", 0), frames))
                .append("\n\n| folder | answers |\n|---|---|\n");
        counts.forEach((folder, byCode) -> md.append("| ").append(folder).append(" | ").append(byCode).append(" |\n"));
        md.append("| **total** | ").append(total).append(" |\n");
        Conformance.section("hl7-mllp", md.toString());
    }

    private static boolean isAck(byte[] frame) {
        String text = new String(frame, StandardCharsets.ISO_8859_1);
        int msh = text.indexOf("MSH");
        if (msh < 0 || text.length() < msh + 4) {
            return false;
        }
        String[] fields = text.substring(msh).split("\r|\n", 2)[0].split(java.util.regex.Pattern.quote(
                String.valueOf(text.charAt(msh + 3))), -1);
        return fields.length > 8 && fields[8].startsWith("ACK");
    }

    private static String msa1(String ack) {
        // the ACK uses the inbound message's delimiters, which are not always '|'
        String separator = ack.startsWith("MSH") && ack.length() > 3 ? String.valueOf(ack.charAt(3)) : "|";
        for (String segment : ack.split("\r")) {
            if (segment.startsWith("MSA")) {
                String[] fields = segment.split(java.util.regex.Pattern.quote(separator), -1);
                return fields.length > 1 ? fields[1] : "?";
            }
        }
        return "?";
    }

    /** One frame on its own connection; the answer frame's text, "" for an empty frame, null for none in 3 s. */
    private String exchange(byte[] frame) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", MLLP_PORT)) {
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write(0x0b);
            out.write(frame);
            out.write(new byte[]{0x1c, 0x0d});
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                int b;
                boolean started = false;
                while ((b = in.read()) != -1) {
                    if (b == 0x0b) {
                        started = true;
                        continue;
                    }
                    if (b == 0x1c) {
                        return answer.toString(StandardCharsets.ISO_8859_1);
                    }
                    if (started) {
                        answer.write(b);
                    }
                }
                return started ? answer.toString(StandardCharsets.ISO_8859_1) : null;
            } catch (SocketTimeoutException silence) {
                return null;
            }
        }
    }
}
