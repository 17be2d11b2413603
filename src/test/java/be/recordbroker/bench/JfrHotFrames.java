package be.recordbroker.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a benchmark's CPU went, from a JFR recording ({@code -Dbench.jfr=true} writes one per measured phase):
 * execution samples by thread group, the hottest top frames (self), and the methods most often on the stack (total),
 * optionally only for threads whose name matches a pattern. JDK only:
 * {@code java -cp target/test-classes be.recordbroker.bench.JfrHotFrames target/bench/ingest-broker-*.jfr
 * [threadRegex] [top] [frameRegex]}.
 */
public final class JfrHotFrames {

    /**
     * Starts an idle JFR recording (one execution sample a second, kept in memory) for the benchmark's whole life: JFR's
     * first start retransforms and deoptimises, so a benchmark that records pays that before its warm-ups, not in a
     * measured run.
     */
    static void startIdleRecorder() {
        jdk.jfr.Recording idle = new jdk.jfr.Recording();
        idle.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofSeconds(1));
        idle.setToDisk(false);
        idle.start();
    }


    private JfrHotFrames() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = new java.util.ArrayList<>();
        List<String> rest = new java.util.ArrayList<>();
        for (String a : args) {
            if (a.endsWith(".jfr")) {
                files.add(Path.of(a));
            } else {
                rest.add(a);
            }
        }
        Pattern threads = rest.size() > 0 ? Pattern.compile(rest.get(0)) : Pattern.compile(".*");
        int top = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 40;
        Pattern frames = rest.size() > 2 ? Pattern.compile(rest.get(2)) : null;
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        // -Dcallers=regex: who calls the frames matching it (the first frame below them that does not match)
        Pattern callersOf = System.getProperty("callers") == null ? null : Pattern.compile(System.getProperty("callers"));
        Map<String, Integer> callers = new HashMap<>();
        int samples = 0;
        int all = 0;
        List<RecordedEvent> events = new java.util.ArrayList<>();
        for (Path file : files) {
            events.addAll(RecordingFile.readAllEvents(file));
        }
        // -Dlast=seconds: only the samples of the recording's last seconds (e.g. the search benchmark's broker phase)
        java.time.Instant since = java.time.Instant.MIN;
        if (System.getProperty("last") != null) {
            java.time.Instant end = events.stream().map(RecordedEvent::getStartTime).max(java.util.Comparator.naturalOrder())
                    .orElse(java.time.Instant.MAX);
            since = end.minusSeconds(Long.parseLong(System.getProperty("last")));
        }
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStartTime().isBefore(since)) {
                continue;
            }
            all++;
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            byThread.merge(thread == null ? "?" : thread.replaceAll("\\d+", "#"), 1, Integer::sum);
            if (thread == null || !threads.matcher(thread).find()) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> fs = stack.getFrames();
            self.merge(name(fs.get(0)), 1, Integer::sum);
            if (callersOf != null) {
                for (int i = 0; i < fs.size(); i++) {
                    if (callersOf.matcher(name(fs.get(i))).find()) {
                        int j = i;
                        while (j < fs.size() && callersOf.matcher(name(fs.get(j))).find()) {
                            j++;
                        }
                        if (j < fs.size()) {
                            callers.merge(name(fs.get(j)) + ":" + fs.get(j).getLineNumber(), 1, Integer::sum);
                        }
                        break;
                    }
                }
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : fs) {
                String n = name(f);
                if ((frames == null || frames.matcher(n).find()) && seen.add(n)) {
                    total.merge(n, 1, Integer::sum);
                }
            }
        }
        System.out.printf("%d execution samples, %d in threads matching %s%n%n-- by thread (all samples)%n", all,
                samples, threads);
        print(byThread, all, 25);
        System.out.println("\n-- self (top frame)");
        print(self, samples, top);
        System.out.println("\n-- total (on the stack)" + (frames == null ? "" : " matching " + frames));
        print(total, samples, top);
        if (callersOf != null) {
            System.out.println("\n-- callers of " + callersOf);
            print(callers, samples, top);
        }
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(Map<String, Integer> counts, int of, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("%6d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / Math.max(1, of),
                        e.getKey()));
    }
}
