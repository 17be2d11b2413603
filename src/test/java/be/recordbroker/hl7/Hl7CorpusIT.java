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
import be.recordbroker.conformance.Conformance;

/**
 * Tolerance over third-party HL7 material, when {@code ../shared/corpora/hl7} exists ({@link Corpora}): every
 * message is decoded, parsed, checked, stripped and acknowledged without an exception, and every ACK parses with HAPI.
 * Prints the decisions per folder. Files may hold several messages (blank lines, batches, comments): they are split
 * before each line that starts with {@code MSH}; text before the first MSH, when not blank, is a frame of its own (it
 * gets the not-HL7 answer). Writes the "hl7-rules" section of the conformance report (docs/conformance.md).
 */
class Hl7CorpusIT {

    @Test
    void everyCorpusMessageGetsADecisionAndAnAckHapiReads() throws IOException {
        Path root = Corpora.require("hl7");
        Pipeline pipeline = new Pipeline(new IngestRules(IngestRules.Config.defaults()), f -> !f.isBlank(), ISO_8859_1);

        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        Map<String, Integer> refusals = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        int answered = 0;
        int[] withoutSsin = {0, 0}; // refused for want of an SSIN; of those, accepted once one is added
        Map<String, Integer> secondReasons = new TreeMap<>();
        int accepted = 0;
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
                if (d.accepted()) {
                    accepted++;
                } else {
                    String why = (expected == null ? "no ACK" : expected) + " | " + d.outcome()
                            + (d.error() != null ? " | " + d.error().code() + " " + d.error().codeName() + " | "
                            + d.error().location() : " | | ");
                    refusals.merge(why, 1, Integer::sum);
                    examples.putIfAbsent(why, d.error() != null ? d.error().text() : d.reason());
                    if (d.error() != null && d.error().location().endsWith("PID^1^3")) {
                        // the corpus is not Belgian: would the message pass with an SSIN in PID-3?
                        withoutSsin[0]++;
                        IngestDecision again = pipeline.run(withSsin(frame, r.message().delimiters())).decision();
                        if (again.accepted()) {
                            withoutSsin[1]++;
                        } else {
                            secondReasons.merge(again.error() != null ? again.error().code() + " at "
                                    + again.error().location() + ": " + again.error().text() : again.outcome()
                                    + " " + again.reason(), 1, Integer::sum);
                        }
                    }
                }
                strip(r.message(), contents, pointers);
                if (expected == null) { // an inbound ACK, or MSH-15/MSH-16 declined every acknowledgment
                    assertThat(r.ack()).as(file.toString()).isEmpty();
                    continue;
                }
                String ack = r.ack().orElseThrow(() -> new AssertionError("no ACK for " + file));
                Terser t = HapiJudge.parse(ack);
                answered++;
                assertThat(HapiJudge.get(t, "/MSA-1")).as(file.toString()).isEqualTo(expected);
                if (d.accepted()) {
                    assertThat(r.stripped().text()).as(file.toString()).isNotNull();
                }
            }
        }
        print(root, frames, counts);
        report(frames, answered, accepted, withoutSsin, secondReasons, refusals, examples);
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

    /** The "hl7-rules" section: the ACK path in-process (decode, rules, strip, ACK) over every frame. */
    private static void report(int frames, int answered, int accepted, int[] withoutSsin,
                               Map<String, Integer> secondReasons, Map<String, Integer> refusals,
                               Map<String, String> examples) {
        StringBuilder md = new StringBuilder("## HL7 v2: the ingest rules and ACKs (in-process)\n\n")
                .append("Every frame of the HL7 corpus through the ACK path (decode, rules, content stripping, ACK),")
                .append(" without a socket (`Hl7CorpusIT`).\n\n")
                .append("- frames: ").append(frames).append('\n')
                .append("- answered with an ACK HAPI 2.6 parses, or rightly unanswered (an inbound ACK, or MSH-15/16")
                .append(" declined acknowledgment), no exception: **").append(Conformance.rate(frames, frames))
                .append("** (").append(answered).append(" ACKs)\n")
                .append("- accepted (AA): ").append(Conformance.rate(accepted, frames)).append('\n')
                .append("- refused only for want of a Belgian SSIN in PID-3 (the corpus has none), then accepted once")
                .append(" a valid SSIN is added to PID-3 as it stands: **")
                .append(Conformance.rate(withoutSsin[1], withoutSsin[0])).append("**")
                .append(secondReasons.isEmpty() ? "" : "; still refused then: " + secondReasons).append('\n')
                .append("\nNot accepted, by answer, decision, HL7 error (table 0357) and location (first example's")
                .append(" text):\n\n| answer | decision | error | location | frames | example |\n")
                .append("|---|---|---|---|---|---|\n");
        refusals.forEach((why, n) -> md.append("| ").append(why).append(" | ").append(n).append(" | ")
                .append(cell(examples.get(why))).append(" |\n"));
        Conformance.section("hl7-rules", md.toString());
    }

    /** The frame with one more PID-3 repetition: a valid SSIN with identifier type NN, in the frame's delimiters. */
    private static byte[] withSsin(byte[] frame, Delimiters delimiters) {
        String text = new String(frame, ISO_8859_1);
        String field = String.valueOf(delimiters.field());
        String[] segments = text.split("(?<=\r)|(?<=\n)");
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            if (segment.startsWith("PID" + field)) {
                String end = segment.substring(segment.stripTrailing().length());
                List<String> fields = new ArrayList<>(List.of(segment.stripTrailing()
                        .split(java.util.regex.Pattern.quote(field), -1)));
                while (fields.size() < 4) {
                    fields.add("");
                }
                String ssin = "85073003328" + delimiters.component() + delimiters.component() + delimiters.component()
                        + "BE-NN" + delimiters.component() + "NN";
                fields.set(3, fields.get(3).isEmpty() ? ssin : fields.get(3) + delimiters.repetition() + ssin);
                out.append(String.join(field, fields)).append(end);
            } else {
                out.append(segment);
            }
        }
        return out.toString().getBytes(ISO_8859_1);
    }

    static String cell(String text) {
        if (text == null) {
            return "";
        }
        String one = text.replace('|', '/').replace('\r', ' ').replace('\n', ' ');
        return one.length() > 120 ? one.substring(0, 120) + "…" : one;
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
