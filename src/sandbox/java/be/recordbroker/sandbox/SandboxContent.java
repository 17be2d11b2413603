package be.recordbroker.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic document bytes for the sandbox sources: the same document always has the same bytes, so the hash
 * and size declared at the hub match what the source serves, run after run.
 */
final class SandboxContent {

    static final int CHUNK = 64 * 1024;

    private SandboxContent() {
    }

    /**
     * A valid one-page PDF of about {@code targetSize} bytes: the page shows the title; an unreferenced annex stream
     * of filler text brings it to size (PDF readers ignore unreferenced objects).
     */
    static byte[] pdf(String title, long seed, int targetSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(targetSize + 1024);
        long[] offsets = new long[7];
        write(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n", StandardCharsets.ISO_8859_1);
        offsets[1] = out.size();
        write(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        offsets[2] = out.size();
        write(out, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        offsets[3] = out.size();
        write(out, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                + " /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n");
        String text = "BT /F1 16 Tf 72 770 Td (" + pdfEscape(title) + ") Tj ET\n"
                + "BT /F1 10 Tf 72 750 Td (record-broker sandbox document - synthetic data) Tj ET\n";
        offsets[4] = out.size();
        write(out, "4 0 obj\n<< /Length " + text.length() + " >>\nstream\n" + text + "endstream\nendobj\n");
        offsets[5] = out.size();
        write(out, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
        int fillerLength = Math.max(0, targetSize - out.size() - 400);
        offsets[6] = out.size();
        write(out, "6 0 obj\n<< /Length " + fillerLength + " >>\nstream\n");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] line = new byte[80];
        for (int written = 0; written < fillerLength; written += line.length) {
            int n = Math.min(line.length, fillerLength - written);
            for (int i = 0; i < n - 1; i++) {
                line[i] = (byte) ('a' + random.nextInt(26));
            }
            line[n - 1] = '\n';
            out.write(line, 0, n);
        }
        write(out, "\nendstream\nendobj\n");
        long xref = out.size();
        StringBuilder table = new StringBuilder("xref\n0 7\n0000000000 65535 f \n");
        for (int i = 1; i < 7; i++) {
            table.append(String.format("%010d 00000 n \n", offsets[i]));
        }
        table.append("trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        write(out, table.toString());
        return out.toByteArray();
    }

    /**
     * Streams {@code size} pseudo-random bytes from {@code seed}, with {@code canary} (if any) written once in the
     * middle — the marker later tests search for in every file the broker wrote.
     */
    static void generated(long size, long seed, String canary, OutputStream out) throws IOException {
        byte[] marker = canary == null ? new byte[0] : canary.getBytes(StandardCharsets.UTF_8);
        long markerAt = marker.length == 0 ? -1 : Math.max(0, size / 2 - marker.length / 2);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[CHUNK];
        long position = 0;
        while (position < size) {
            int n = (int) Math.min(buffer.length, size - position);
            for (int i = 0; i < n; i += 8) {
                long value = random.nextLong();
                for (int b = 0; b < 8 && i + b < n; b++) {
                    buffer[i + b] = (byte) (value >>> (8 * b));
                }
            }
            if (markerAt >= 0) {
                for (int i = 0; i < marker.length; i++) {
                    long at = markerAt + i - position;
                    if (at >= 0 && at < n) {
                        buffer[(int) at] = marker[i];
                    }
                }
            }
            out.write(buffer, 0, n);
            position += n;
        }
    }

    static String pdfEscape(String text) {
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                .replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void write(ByteArrayOutputStream out, String text) {
        write(out, text, StandardCharsets.US_ASCII);
    }

    private static void write(ByteArrayOutputStream out, String text, java.nio.charset.Charset charset) {
        out.writeBytes(text.getBytes(charset));
    }
}
