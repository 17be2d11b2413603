package be.recordbroker.hl7;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;

import be.recordbroker.Corpora;

/**
 * Tolerance over third-party HL7 material, when {@code ../shared/corpora/hl7} exists ({@link Corpora}): every
 * message is decoded, parsed, checked, stripped and acknowledged without an exception, and every ACK parses with HAPI.
 * Prints the decisions per folder. Files may hold several messages (blank lines, batches, comments): they are split
 * before each line that starts with {@code MSH}; text before the first MSH, when not blank, is a frame of its own (it
 * gets the not-HL7 answer).
 */
class Hl7CorpusIT {

    @Test
    void everyCorpusMessageGetsADecisionAndAnAckHapiReads() throws IOException {
        Path root = Corpora.require("hl7");
        Pipeline pipeline = new Pipeline(new IngestRules(IngestRules.Config.defaults()), f -> !f.isBlank(), ISO_8859_1);

        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        int[] contents = {0};
        int[] pointers = {0};
        int frames = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().matches("(?i)(MANIFEST|README|LICEN[CS]E).*"))
                    .sorted().toList();
        }
        for (Path file : files) {
            String folder = root.relativize(file).getNameCount() > 1 ? root.relativize(file).getName(0).toString() : ".";
            for (byte[] frame : split(Files.readAllBytes(file))) {
                frames++;
                Pipeline.Result r;
                try {
                    r = pipeline.run(frame);
                } catch (RuntimeException e) {
                    throw new AssertionError("exception on a frame of " + file, e);
                }
                IngestDecision d = r.decision();
                String expected = r.message().isHl7() ? AckBuilder.ackCode(r.message(), d).orElse(null)
                        : "AR";
                String key = d.outcome() + (d.error() != null ? " " + d.error().code() : "")
                        + (expected == null ? " (no ACK)" : " " + expected);
                counts.computeIfAbsent(folder, k -> new TreeMap<>()).merge(key, 1, Integer::sum);
                strip(r.message(), contents, pointers);
                if (expected == null) { // an inbound ACK, or MSH-15/MSH-16 declined every acknowledgment
                    assertThat(r.ack()).as(file.toString()).isEmpty();
                    continue;
                }
                String ack = r.ack().orElseThrow(() -> new AssertionError("no ACK for " + file));
                Terser t = HapiJudge.parse(ack);
                assertThat(HapiJudge.get(t, "/MSA-1")).as(file.toString()).isEqualTo(expected);
                if (d.accepted()) {
                    assertThat(r.stripped().text()).as(file.toString()).isNotNull();
                }
            }
        }
        print(root, frames, counts);
        System.out.println("  stripped on every HL7 frame, whatever its decision: " + contents[0]
                + " embedded contents, " + pointers[0] + " reference pointers");
        assertThat(frames).isPositive();
    }

    /**
     * Strips every HL7 frame (not only accepted ones: the corpus has no Belgian SSIN, so almost nothing is
     * accepted) and checks that no ED data survives: after stripping, each ED OBX-5 has no data component.
     */
    private static void strip(InboundMessage m, int[] contents, int[] pointers) {
        ContentStripper.Stripped s = ContentStripper.strip(m);
        contents[0] += s.contents().size();
        pointers[0] += s.pointers().size();
        InboundMessage after = InboundMessage.parse(s.text());
        for (InboundMessage.Obx obx : after.obxList()) {
            if ("ED".equals(obx.valueType())) {
                for (String rep : obx.value().split(java.util.regex.Pattern.quote(String.valueOf(
                        after.delimiters().repetition())))) {
                    String[] parts = rep.split(java.util.regex.Pattern.quote(String.valueOf(
                            after.delimiters().component())), -1);
                    assertThat(parts.length < 5 || parts[4].isEmpty()).as("ED data left in " + m).isTrue();
                }
            }
        }
    }

    /** Splits a file at every line that starts with "MSH" (after CR, LF or the start, past a UTF-8 BOM). */
    static List<byte[]> split(byte[] file) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + 3 <= file.length; i++) {
            boolean lineStart = i == 0 || file[i - 1] == '\r' || file[i - 1] == '\n'
                    || (i == 3 && (file[0] & 0xFF) == 0xEF && (file[1] & 0xFF) == 0xBB && (file[2] & 0xFF) == 0xBF);
            if (lineStart && file[i] == 'M' && file[i + 1] == 'S' && file[i + 2] == 'H') {
                starts.add(i);
            }
        }
        List<byte[]> frames = new ArrayList<>();
        int first = starts.isEmpty() ? file.length : starts.get(0);
        byte[] head = Arrays.copyOfRange(file, 0, first);
        if (starts.isEmpty() || !new String(head, ISO_8859_1).replace("\uFEFF", "").replace("\u00EF\u00BB\u00BF", "")
                .isBlank()) {
            frames.add(head);
        }
        for (int k = 0; k < starts.size(); k++) {
            int end = k + 1 < starts.size() ? starts.get(k + 1) : file.length;
            frames.add(Arrays.copyOfRange(file, starts.get(k), end));
        }
        return frames;
    }

    private static void print(Path root, int frames, Map<String, Map<String, Integer>> counts) {
        StringBuilder sb = new StringBuilder("HL7 corpus " + root + ": " + frames + " frames\n");
        counts.forEach((folder, byDecision) -> sb.append(String.format("  %-22s %s%n", folder, byDecision)));
        Map<String, Integer> total = new TreeMap<>();
        counts.values().forEach(m -> m.forEach((k, v) -> total.merge(k, v, Integer::sum)));
        sb.append(String.format("  %-22s %s%n", "TOTAL", total));
        System.out.print(sb);
    }
}
