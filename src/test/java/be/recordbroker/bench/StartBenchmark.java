package be.recordbroker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

import com.sun.net.httpserver.HttpServer;

import be.recordbroker.RecordBrokerApplication;
import be.recordbroker.TestIo;
import be.recordbroker.prod.LocalPostgres;

/**
 * The start benchmark (issue 17; docs/benchmarks.md "Start"): cold starts to ready, each target a fresh JVM, started
 * {@code bench.start.runs} times (rounds alternate the targets, so a busy moment of the machine falls on all alike;
 * one discarded start of each first warms the file cache and creates the data directories), medians printed beside
 * the anchor's:
 * <ul>
 *   <li><b>anchor</b>: {@link StartAnchorApplication}, a bare Spring Boot + Camel app (web, actuator, one route) on a
 *       class path of those libraries only;</li>
 *   <li><b>embedded</b>: the broker as {@code ./mvnw spring-boot:run} starts it — the embedded default (H2, embedded
 *       Artemis) with the sandbox, on the run command's class path (target/classes, the runtime dependencies, the
 *       compiled sandbox, the Swagger UI webjar) and its JVM options (the plugin adds
 *       {@code -XX:TieredStopAtLevel=1});</li>
 *   <li><b>embedded-before</b> (when named in {@code bench.start.targets}): the same from the classes of another
 *       build ({@code bench.start.baseline}), for a change's A/B;</li>
 *   <li><b>prod</b>: the prod profile without the sandbox (the packaged jar's class path), on the PostgreSQL of
 *       127.0.0.1:5432 (a fresh database) and an Artemis embedded in this benchmark's JVM, every production setting
 *       given; the hubs and the identity provider's key set are addresses this JVM serves or refuses (not part of the
 *       start);</li>
 *   <li><b>prod-cds</b>: the same from the packaged jar as the Docker image runs it (docker/Dockerfile): extracted
 *       with Spring Boot's {@code -Djarmode=tools}, with a class-data-sharing archive of the classes a training run
 *       loads ({@code -XX:DumpLoadedClassList}, {@code -Dspring.context.exit=onRefresh}; {@code -Xshare:dump}). Only when {@code ./mvnw package}
 *       has built the jar from the classes compiled now.</li>
 *   <li><b>prod-aot</b>: the same extracted jar as the Docker image now starts it, on the JDK of
 *       {@code bench.start.aotJavaHome} (24 or later; skipped without it) with the JDK's AOT cache (JEP 483), written by
 *       the same training run ({@code -XX:AOTCacheOutput}) and read by the start ({@code -XX:AOTCache}).</li>
 * </ul>
 * Every target runs with {@code MALLOC_ARENA_MAX} = {@code bench.start.mallocArenaMax} when set.
 * Ready is the first 200 of {@code /actuator/health/readiness} (the broker's includes its warm-up: docs/search.md).
 * Per target: wall time from process start to ready, the process's CPU time at that moment (the figure that
 * survives a loaded machine), and after {@code bench.start.idle} seconds idle its RSS and PSS (PSS: ZGC maps the heap
 * three times, and RSS counts each mapping). Not a test:
 * {@code ./mvnw -q -ntp -Pbench test-compile exec:exec@bench-start}; output to stdout and {@code target/bench/start.txt}.
 */
public final class StartBenchmark {

    /**
     * The anchor's class path: Spring Boot (core, autoconfigure, actuator), Spring MVC on Tomcat, Jackson, Micrometer,
     * logging, and Camel's core with camel-spring-boot and the timer component (jar names, without version).
     */
    static final Pattern ANCHOR_LIBRARIES = Pattern.compile("(spring-(boot|boot-autoconfigure|boot-actuator"
            + "|boot-actuator-autoconfigure|core|beans|context|aop|expression|web|webmvc|jcl)"
            + "|tomcat-embed-(core|el|websocket)|jackson-(core|databind|annotations|datatype-jdk8|datatype-jsr310"
            + "|module-parameter-names)|micrometer-(core|commons|observation|jakarta9)|HdrHistogram|LatencyUtils"
            + "|logback-(classic|core)|slf4j-api|jul-to-slf4j|log4j-to-slf4j|log4j-api|snakeyaml|jakarta.annotation-api"
            + "|camel-(api|base|base-engine|core-engine|core-model|core-processor|core-reifier|core-languages|support"
            + "|util|util-json|management-api|main|spring|spring-main|spring-boot|cloud|cluster|health|xml-jaxp-util"
            + "|xml-io-util|tooling-util|timer|log|bean|direct|console))-\\d[^/]*\\.jar");

    private static final Path OUT = Path.of(System.getProperty("bench.start.out", "target/bench/start"));
    private static final long MB = 1024 * 1024;

    private final int runs = Integer.getInteger("bench.start.runs", 5);
    /** A first start of each target, not counted (file cache, data directories, the database's schema). */
    private final boolean discardFirst = Boolean.parseBoolean(System.getProperty("bench.start.discard", "true"));
    private final Duration idle = Duration.ofSeconds(Integer.getInteger("bench.start.idle", 20));
    private final Duration timeout = Duration.ofSeconds(Integer.getInteger("bench.start.timeout", 240));
    private final List<String> jvmOptions = split(System.getProperty("bench.start.jvmArgs", "-XX:+UseG1GC"), " ");
    /** glibc's malloc arenas of every target (MALLOC_ARENA_MAX), to measure them; empty: unset, glibc's default. */
    private final String mallocArenas = System.getProperty("bench.start.mallocArenaMax", "").strip();
    private final List<String> targetNames = split(System.getProperty("bench.start.targets",
            "anchor,embedded,prod,prod-cds,prod-aot"), ",");
    private final String runtimeClassPath;
    private final StringBuilder report = new StringBuilder();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private StartBenchmark() throws IOException {
        runtimeClassPath = Files.readString(Path.of(System.getProperty("bench.start.runtimeClasspath",
                "target/bench/runtime-classpath.txt"))).strip();
    }

    public static void main(String[] args) throws Exception {
        StartBenchmark bench = new StartBenchmark();
        int status = 0;
        try {
            bench.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        } finally {
            bench.close();
            System.exit(status);
        }
    }

    /** A way to start one JVM and the URL that says it is ready. */
    record Target(String name, List<String> command, String readiness, Path log, Path directory) {
        Target(String name, List<String> command, String readiness, Path log) {
            this(name, command, readiness, log, Path.of("."));
        }
    }

    /** One start: wall and CPU time to ready, memory when idle. */
    record Start(long wallMillis, long cpuMillis, long rssBytes, long pssBytes, long jitMillis, long classes) {
    }

    void run() throws Exception {
        Files.createDirectories(OUT);
        line(String.format(Locale.ROOT, "start benchmark: median of %d cold starts to ready (readiness 200), %d CPUs, "
                + "load %.1f; JVM options %s; MALLOC_ARENA_MAX %s; memory after %d s idle",
                runs, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                String.join(" ", jvmOptions), mallocArenas.isEmpty() ? "unset" : mallocArenas, idle.toSeconds()));
        Map<String, java.util.function.Supplier<Target>> makers = new LinkedHashMap<>();
        for (String name : targetNames) {
            switch (name) {
                case "anchor" -> makers.put(name, this::anchor);
                case "embedded" -> makers.put(name, () -> embedded(name, Path.of("target")));
                case "embedded-before" -> makers.put(name, () -> embedded(name, baseline()));
                case "prod" -> prodSetUp().ifPresent(setUp -> makers.put(name, () -> prod(setUp, Packaged.NO)));
                case "prod-cds" -> prodSetUp().flatMap(this::cdsReady)
                        .ifPresent(setUp -> makers.put(name, () -> prod(setUp, Packaged.CDS)));
                case "prod-aot" -> prodSetUp().flatMap(this::aotReady)
                        .ifPresent(setUp -> makers.put(name, () -> prod(setUp, Packaged.AOT)));
                default -> throw new IllegalArgumentException("unknown target " + name);
            }
        }
        Map<String, List<Start>> starts = new LinkedHashMap<>();
        for (Map.Entry<String, java.util.function.Supplier<Target>> maker : makers.entrySet()) {
            if (discardFirst) {
                start(maker.getValue().get());
            }
            starts.put(maker.getKey(), new ArrayList<>());
        }
        for (int round = 0; round < runs; round++) {
            for (Map.Entry<String, java.util.function.Supplier<Target>> maker : makers.entrySet()) {
                Start s = start(maker.getValue().get());
                starts.get(maker.getKey()).add(s);
                System.out.printf(Locale.ROOT, "  %-9s run %d: %6.2f s, CPU %6.2f s (JIT %5.2f s, %d classes),"
                                + " RSS %4d MB, PSS %4d MB%n", maker.getKey(), round + 1, s.wallMillis / 1000.0,
                        s.cpuMillis / 1000.0, s.jitMillis / 1000.0, s.classes, s.rssBytes / MB, s.pssBytes / MB);
            }
        }
        Start anchor = starts.containsKey("anchor") ? median(starts.get("anchor")) : null;
        line(String.format(Locale.ROOT, "%-9s %20s %12s %8s %8s %8s %8s  %s", "target", "ready (median, range)",
                "CPU to ready", "JIT busy", "classes", "RSS idle", "PSS idle", "ratio to anchor"));
        for (Map.Entry<String, List<Start>> e : starts.entrySet()) {
            Start m = median(e.getValue());
            LongSummary wall = LongSummary.of(e.getValue().stream().map(Start::wallMillis).toList());
            String ratio = anchor == null ? "" : String.format(Locale.ROOT, "%.2f wall, %.2f CPU",
                    (double) m.wallMillis / anchor.wallMillis, (double) m.cpuMillis / anchor.cpuMillis);
            line(String.format(Locale.ROOT, "%-9s %7.2f s (%9s) %10.2f s %7.2f s %8d %5d MB %5d MB  %s", e.getKey(),
                    m.wallMillis / 1000.0, wall, m.cpuMillis / 1000.0, m.jitMillis / 1000.0, m.classes,
                    m.rssBytes / MB, m.pssBytes / MB, ratio));
        }
        Files.writeString(OUT.resolveSibling(OUT.getFileName() + ".txt"), report);
    }

    // --- targets ---

    private Target anchor() {
        String classPath = Stream.of(runtimeClassPath.split(java.io.File.pathSeparator))
                .filter(jar -> ANCHOR_LIBRARIES.matcher(Path.of(jar).getFileName().toString()).matches())
                .collect(Collectors.joining(java.io.File.pathSeparator));
        int port = TestIo.freePort();
        List<String> command = java(classPath + java.io.File.pathSeparator + anchorClasses(),
                StartAnchorApplication.class.getName());
        command.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                "--management.endpoint.health.probes.enabled=true",
                "--management.endpoints.web.exposure.include=health", "--spring.main.banner-mode=off"));
        return new Target("anchor", command, "http://127.0.0.1:" + port + "/actuator/health/readiness",
                OUT.resolve("anchor.log").toAbsolutePath(), OUT.resolve("anchor").toAbsolutePath());
    }

    /**
     * The anchor's own classes, copied out of the test classes: those also hold the sandbox and its start-up hooks
     * (META-INF/spring.factories), which are no part of a bare app. Its working directory has no config/ either.
     */
    private static String anchorClasses() {
        Path from = Path.of("target/test-classes");
        Path to = OUT.resolve("anchor/classes").toAbsolutePath();
        String dir = StartAnchorApplication.class.getPackageName().replace('.', '/');
        try {
            Files.createDirectories(to.resolve(dir));
            try (Stream<Path> files = Files.list(from.resolve(dir))) {
                for (Path f : files.filter(f -> f.getFileName().toString()
                        .startsWith(StartAnchorApplication.class.getSimpleName())).toList()) {
                    Files.copy(f, to.resolve(dir).resolve(f.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to.toString();
    }

    /** As spring-boot:run: pom.xml's spring-boot-maven-plugin jvmArguments and additionalClasspathElements. */
    private Target embedded(String name, Path build) {
        String classPath = String.join(java.io.File.pathSeparator, abs(build.resolve("classes")), runtimeClassPath,
                abs(build.resolve("sandbox-classes")), System.getProperty("bench.start.swaggerUi", ""));
        int management = TestIo.freePort();
        // spring-boot:run adds -XX:TieredStopAtLevel=1 (the plugin's optimizedLaunch): C1 only
        List<String> command = java(classPath, "-XX:TieredStopAtLevel=1",
                "-Djava.library.path=" + System.getProperty("java.library.path"), RecordBrokerApplication.class.getName());
        command.addAll(List.of("--server.port=" + TestIo.freePort(), "--management.server.port=" + management,
                "--record-broker.mllp.port=" + TestIo.freePort(),
                "--record-broker.sites.sandbox-lge.mllp-port=" + TestIo.freePort(),
                "--record-broker.data-dir=" + OUT.resolve(name + "-data").toAbsolutePath()));
        command.addAll(brokerArgs());
        return new Target(name, command, "http://127.0.0.1:" + management + "/actuator/health/readiness",
                OUT.resolve(name + ".log").toAbsolutePath());
    }

    /**
     * {@code bench.start.baseline}: a directory with {@code classes/} and {@code sandbox-classes/} of another build
     * (e.g. copied from target/ before a change), started as {@code embedded-before}: A/B in the same run.
     */
    private static Path baseline() {
        return Path.of(System.getProperty("bench.start.baseline", "target/bench/start-baseline"));
    }

    /** What the prod starts share: the database, the queue, the network file and the identity provider's keys. */
    record ProdSetUp(String databaseUrl, String artemisUrl, Path networkFile, String jwksUrl) {
    }

    private java.util.Optional<ProdSetUp> prodSetUp;

    private java.util.Optional<ProdSetUp> prodSetUp() {
        if (prodSetUp != null) {
            return prodSetUp;
        }
        try {
            String database = LocalPostgres.freshDatabase("bench_start");
            LocalPostgres.grantRuntimeRole("bench_start", "bench_start_rt");
            int artemisPort = artemisPort();
            EmbeddedActiveMQ artemis = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                    .setPersistenceEnabled(false).setSecurityEnabled(false)
                    .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + artemisPort));
            artemis.start();
            resources.add(artemis::stop);
            HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            jwks.createContext("/jwks.json", exchange -> {
                byte[] body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            jwks.start();
            resources.add(() -> jwks.stop(0));
            // hubs, metahub and sources at a port nothing listens on: a start does not call them
            Path network = OUT.resolve("network-prod.yaml").toAbsolutePath();
            Files.writeString(network, Files.readString(Path.of("config/network.yaml"))
                    .replace("url: /", "url: http://127.0.0.1:" + TestIo.freePort() + "/"));
            prodSetUp = java.util.Optional.of(new ProdSetUp(database, "tcp://127.0.0.1:" + artemisPort, network,
                    "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json"));
        } catch (Exception e) {
            line("prod targets skipped: " + e.getMessage());
            prodSetUp = java.util.Optional.empty();
        }
        return prodSetUp;
    }

    /** The packaged jar as the image runs it: without it (no fresh ./mvnw package) prod-cds and prod-aot are skipped. */
    private Path extracted;

    /** How a prod target starts: from target/classes, or from the extracted jar with a CDS archive or an AOT cache. */
    enum Packaged { NO, CDS, AOT }

    /** The packaged jar extracted as docker/Dockerfile does (once per run, shared by prod-cds and prod-aot). */
    private Path extractedJar() throws IOException, InterruptedException {
        if (extracted == null) {
            Path jar = freshPackagedJar().orElseThrow(() -> new IllegalStateException(
                    "no target/record-broker-*.jar newer than target/classes (./mvnw package first)"));
            Path into = OUT.resolve("extracted").toAbsolutePath();
            TestIo.deleteTree(into);
            exec(List.of(javaBinary(), "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract",
                    "--destination", into.toString()), OUT.resolve("extract.log"), timeout);
            extracted = into;
        }
        try (Stream<Path> files = Files.list(extracted)) {
            return files.filter(f -> f.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
    }

    /**
     * The CDS archive's training run (prod-cds, as the image made it before the AOT cache): the embedded default,
     * stopped once every bean is made ({@code -Dspring.context.exit=onRefresh}), listening on nothing, with
     * {@code options}.
     */
    private List<String> training(String java, List<String> options, Path app, String dataDir) {
        return training(java, options, app, dataDir, List.of("-Dspring.context.exit=onRefresh", "-jar", app.toString()));
    }

    /** The AOT cache's training run, as docker/Dockerfile's: on to ready, then exit (ExitWhenReady). */
    private List<String> trainingToReady(String java, List<String> options, Path app, String dataDir) {
        return training(java, options, app, dataDir,
                List.of("-jar", app.toString(), "--record-broker.warm-up.exit-when-ready=true"));
    }

    private List<String> training(String java, List<String> options, Path app, String dataDir, List<String> start) {
        List<String> training = new ArrayList<>(List.of(java));
        training.addAll(jvmOptions);
        training.addAll(options);
        training.addAll(start);
        training.addAll(List.of(
                "--record-broker.data-dir=" + OUT.resolve(dataDir).toAbsolutePath(),
                "--server.port=0", "--management.server.port=0", "--record-broker.mllp.port=0",
                "--record-broker.mllp.plaintext=true"));
        return training;
    }

    private java.util.Optional<ProdSetUp> cdsReady(ProdSetUp setUp) {
        try {
            Path app = extractedJar();
            // the classes a start loads, listed by a training run that stops once every bean is made; then a static
            // archive of them without the lambda proxies (JDK 17.0.15 crashed dumping them, with
            // -XX:ArchiveClassesAtExit as with -Xshare:dump: SIGSEGV in adjust_lambda_proxy_class_dictionary)
            Path classList = extracted.resolve("app.classlist");
            exec(training(javaBinary(), List.of("-XX:DumpLoadedClassList=" + classList), app, "cds-training-data"),
                    OUT.resolve("cds-training.log"), timeout.multipliedBy(4));
            Path classes = extracted.resolve("app.classes");
            Files.write(classes, Files.readAllLines(classList).stream().filter(l -> !l.startsWith("@lambda-")).toList());
            List<String> dump = new ArrayList<>(List.of(javaBinary()));
            dump.addAll(jvmOptions);
            dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classes,
                    "-XX:SharedArchiveFile=" + extracted.resolve("app.jsa"), "-jar", app.toString()));
            exec(dump, OUT.resolve("cds-dump.log"), timeout.multipliedBy(2));
            if (!Files.exists(extracted.resolve("app.jsa"))) {
                throw new IllegalStateException("no archive written; see " + OUT.resolve("cds-dump.log"));
            }
            return java.util.Optional.of(setUp);
        } catch (Exception e) {
            line("prod-cds skipped: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /**
     * prod-aot: the JDK's AOT cache (JEP 483, JDK 24+; Spring Boot's successor of the CDS training run) on the JDK
     * of {@code bench.start.aotJavaHome}: a training run on to ready (as the image's) writes the cache ({@code -XX:AOTCacheOutput}, JDK
     * 25: classes loaded and linked, lambda proxies, method profiles), the start reads it ({@code -XX:AOTCache}).
     */
    private java.util.Optional<ProdSetUp> aotReady(ProdSetUp setUp) {
        String home = System.getProperty("bench.start.aotJavaHome", "");
        if (home.isBlank()) {
            line("prod-aot skipped: bench.start.aotJavaHome names no JDK (24 or later)");
            return java.util.Optional.empty();
        }
        try {
            Path app = extractedJar();
            Path cache = extracted.resolve("app.aot");
            exec(trainingToReady(aotJava(), List.of("-XX:AOTCacheOutput=" + cache), app, "aot-training-data"),
                    OUT.resolve("aot-training.log"), timeout.multipliedBy(4));
            if (!Files.exists(cache)) {
                throw new IllegalStateException("no AOT cache written; see " + OUT.resolve("aot-training.log"));
            }
            return java.util.Optional.of(setUp);
        } catch (Exception e) {
            line("prod-aot skipped: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private static String aotJava() {
        return Path.of(System.getProperty("bench.start.aotJavaHome"), "bin", "java").toString();
    }

    private Target prod(ProdSetUp setUp, Packaged packaged) {
        int management = TestIo.freePort();
        List<String> command;
        if (packaged == Packaged.NO) {
            command = java(abs("target/classes") + java.io.File.pathSeparator + runtimeClassPath,
                    "-Djava.library.path=" + System.getProperty("java.library.path"),
                    RecordBrokerApplication.class.getName());
        } else {
            command = new ArrayList<>(List.of(packaged == Packaged.AOT ? aotJava() : javaBinary()));
            command.addAll(jvmOptions);
            command.add(packaged == Packaged.AOT ? "-XX:AOTCache=" + extracted.resolve("app.aot")
                    : "-XX:SharedArchiveFile=" + extracted.resolve("app.jsa"));
            command.add("-Djava.library.path=" + System.getProperty("java.library.path"));
            try {
                command.addAll(List.of("-jar", extractedJar().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        String name = switch (packaged) { case NO -> "prod"; case CDS -> "prod-cds"; case AOT -> "prod-aot"; };
        command.addAll(List.of("--spring.profiles.active=prod", "--server.port=" + TestIo.freePort(),
                "--management.server.port=" + management, "--record-broker.mllp.port=" + TestIo.freePort(),
                "--record-broker.mllp.plaintext=true", "--record-broker.mllp.bind-address=127.0.0.1",
                "--record-broker.data-dir=" + OUT.resolve(name + "-data").toAbsolutePath(),
                "--record-broker.network-file=" + setUp.networkFile(),
                "--spring.artemis.broker-url=" + setUp.artemisUrl(),
                "--spring.artemis.user=bench", "--spring.artemis.password=bench",
                "--spring.datasource.url=" + setUp.databaseUrl(),
                "--spring.datasource.username=bench_start_rt", "--spring.datasource.password=runtime-secret",
                "--spring.flyway.user=" + LocalPostgres.USER, "--spring.flyway.password=owner-secret",
                "--record-broker.database.runtime-role=bench_start_rt",
                "--record-broker.identity.jwks-url=" + setUp.jwksUrl(),
                "--record-broker.identity.issuer=bench", "--record-broker.identity.audience=record-broker",
                "--record-broker.ops.users[0].name=ops",
                "--record-broker.ops.users[0].password=$2a$10$lss9kLizpFsbJP9SyK8uquNopcQ.pjcok9xk5Pp1xoO.ZuqkhqSIG",
                "--record-broker.ops.users[0].roles[0]=ops",
                "--record-broker.audit.key=" + KEY, "--record-broker.audit.key-id=bench",
                "--record-broker.document-id.key=" + KEY, "--record-broker.ingest.group-key=" + KEY));
        command.addAll(brokerArgs());
        return new Target(name, command, "http://127.0.0.1:" + management + "/actuator/health/readiness",
                OUT.resolve(name + ".log").toAbsolutePath());
    }

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32});

    /** bench.start.broker.args: comma-separated settings for both broker targets, e.g. {@code a.b=c,d=e}. */
    private static List<String> brokerArgs() {
        return split(System.getProperty("bench.start.broker.args", ""), ",").stream().map(a -> "--" + a).toList();
    }

    // --- one start ---

    private Start start(Target target) {
        ProcessBuilder builder = new ProcessBuilder(target.command()).redirectErrorStream(true)
                .redirectOutput(target.log().toFile()).directory(target.directory().toFile());
        if (!mallocArenas.isEmpty()) {
            builder.environment().put("MALLOC_ARENA_MAX", mallocArenas);
        }
        long begin = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            long deadline = begin + timeout.toNanos();
            while (!ready(target.readiness())) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(target.name() + " did not become ready; see " + target.log());
                }
                Thread.sleep(20);
            }
            long wall = (System.nanoTime() - begin) / 1_000_000;
            long cpu = process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
            long[] counters = counters(process.pid());
            Thread.sleep(idle.toMillis());
            long[] memory = memory(process.pid());
            return new Start(wall, cpu, memory[0], memory[1], counters[0], counters[1]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            stop(process);
        }
    }

    private static boolean ready(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Where a start's time goes, from the JVM's performance counters ({@code jcmd PerfCounter.print}): the JIT
     * compilers' busy time (ms, summed over compiler threads, elapsed: a loaded machine inflates it) and the classes loaded.
     */
    private static long[] counters(long pid) {
        long ticks = -1;
        long frequency = 1;
        long classes = -1;
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "PerfCounter.print").redirectErrorStream(true).start();
            for (String l : new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] kv = l.trim().split("=", 2);
                if (kv.length == 2) {
                    switch (kv[0]) {
                        // compilations: standard ones and on-stack replacements
                        case "sun.ci.standardTime", "sun.ci.osrTime" ->
                                ticks = Math.max(ticks, 0) + Long.parseLong(kv[1].strip());
                        case "sun.os.hrt.frequency" -> frequency = Long.parseLong(kv[1].strip());
                        case "java.cls.loadedClasses" -> classes = Long.parseLong(kv[1].strip());
                        default -> { }
                    }
                }
            }
            jcmd.waitFor();
        } catch (IOException | RuntimeException e) {
            // no jcmd: no counters
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new long[] {ticks < 0 ? -1 : ticks * 1000 / frequency, classes};
    }

    /** RSS and PSS in bytes (/proc/pid/smaps_rollup; Linux). */
    private static long[] memory(long pid) {
        long rss = -1;
        long pss = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                String[] f = l.trim().split("\\s+");
                if (f[0].equals("Rss:")) {
                    rss = Long.parseLong(f[1]) * 1024;
                } else if (f[0].equals("Pss:")) {
                    pss = Long.parseLong(f[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no memory figures
        }
        return new long[] {rss, pss};
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    // --- helpers ---

    private List<String> java(String classPath, String... tail) {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.addAll(List.of(tail));
        return command;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String abs(String path) {
        return abs(Path.of(path));
    }

    private static String abs(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    private static void exec(List<String> command, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command.subList(0, 3)) + "; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": see " + log);
        }
    }

    /** target/record-broker-*.jar if newer than the compiled main class (as BrokerJvm decides for java -jar). */
    private static java.util.Optional<Path> freshPackagedJar() {
        Path mainClass = Path.of("target/classes/" + RecordBrokerApplication.class.getName().replace('.', '/')
                + ".class");
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            long compiled = Files.getLastModifiedTime(mainClass).toMillis();
            return files.filter(f -> f.getFileName().toString().matches("record-broker-.*\\.jar")
                            && !f.getFileName().toString().endsWith("-plain.jar"))
                    .filter(f -> f.toFile().lastModified() >= compiled).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** A free port from 61700 up (Artemis ports here are 61616 and up). */
    private static int artemisPort() throws IOException {
        for (int port = 61700; port < 62700; port++) {
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IOException("no free port in 61700..62699");
    }

    private static Start median(List<Start> starts) {
        return new Start(medianOf(starts, Start::wallMillis), medianOf(starts, Start::cpuMillis),
                medianOf(starts, Start::rssBytes), medianOf(starts, Start::pssBytes), medianOf(starts, Start::jitMillis),
                medianOf(starts, Start::classes));
    }

    private static long medianOf(List<Start> starts, java.util.function.ToLongFunction<Start> f) {
        List<Long> values = new ArrayList<>(starts.stream().map(f::applyAsLong).toList());
        Collections.sort(values);
        return values.get(values.size() / 2);
    }

    /** min / max of a few wall times, in seconds. */
    record LongSummary(long min, long max) {
        static LongSummary of(List<Long> values) {
            return new LongSummary(Collections.min(values), Collections.max(values));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f-%.1f", min / 1000.0, max / 1000.0);
        }
    }

    private static List<String> split(String s, String separator) {
        return Stream.of(s.split(Pattern.quote(separator))).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private void line(String s) {
        System.out.println(s);
        report.append(s).append('\n');
    }

    private void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // stopping anyway
            }
        }
    }
}
