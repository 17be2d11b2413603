package be.recordbroker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The command line of a broker started as its own process by a test (the kill test, the no-copy test): this JVM's
 * java, the given JVM options, this JVM's library path (Artemis' libaio binding, which the build puts there) and its
 * class path without the test classes, whose {@code @TestConfiguration} classes component scanning would pick up
 * (the sandbox, compiled with the tests, is added back from {@code target/sandbox-classes} unless asked not to).
 */
public final class BrokerJvm {

    private BrokerJvm() {
    }

    /**
     * {@code java <jvmOptions> -Djava.library.path=... -cp ... RecordBrokerApplication}; append the broker's arguments.
     * The class path has the sandbox ({@code target/sandbox-classes}), as {@code ./mvnw spring-boot:run} has.
     */
    public static List<String> command(String... jvmOptions) {
        return command(classPath() + System.getProperty("path.separator") + SANDBOX_CLASSES, jvmOptions);
    }

    /** As {@link #command}, but without the sandbox: the class path of the packaged jar ({@code java -jar}). */
    public static List<String> commandWithoutSandbox(String... jvmOptions) {
        return command(classPath(), jvmOptions);
    }

    /**
     * The broker as {@code java -jar} starts it: no {@code java.library.path}, no sandbox. Under failsafe
     * ({@code ./mvnw verify}, after {@code package}) {@code java -jar} on the jar the build just made (system property
     * {@value #PACKAGED_JAR}, set in pom.xml; it must exist). Run from elsewhere (an IDE): the packaged jar when it is
     * newer than the compiled classes, else the same JVM on the jar's class path.
     */
    public static List<String> commandAsJavaJar(String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        java.util.Optional<Path> jar = packagedJar().or(BrokerJvm::freshPackagedJar);
        if (jar.isPresent()) {
            command.add("-jar");
            command.add(jar.get().toString());
        } else {
            command.add("-cp");
            command.add(classPath());
            command.add(RecordBrokerApplication.class.getName());
        }
        return command;
    }

    /** System property: the repackaged jar of this build (failsafe sets it; see pom.xml). */
    public static final String PACKAGED_JAR = "record-broker.packaged-jar";

    /**
     * The jar of this build when the build says where it is ({@value #PACKAGED_JAR}); a build that says so and has
     * no jar there is a broken build, not a reason to test something else.
     */
    public static java.util.Optional<Path> packagedJar() {
        String jar = System.getProperty(PACKAGED_JAR);
        if (jar == null || jar.isBlank()) {
            return java.util.Optional.empty();
        }
        Path path = Path.of(jar);
        if (!java.nio.file.Files.isRegularFile(path)) {
            throw new IllegalStateException(PACKAGED_JAR + "=" + jar + ", but no jar is there (run the integration "
                    + "tests through ./mvnw verify, which packages it first)");
        }
        return java.util.Optional.of(path);
    }

    /** target/record-broker-*.jar if it is newer than the compiled main class. */
    static java.util.Optional<Path> freshPackagedJar() {
        Path target = Path.of("target").toAbsolutePath().normalize();
        Path mainClass = target.resolve("classes/" + RecordBrokerApplication.class.getName().replace('.', '/')
                + ".class");
        try (Stream<Path> files = java.nio.file.Files.list(target)) {
            long compiled = java.nio.file.Files.getLastModifiedTime(mainClass).toMillis();
            return files.filter(f -> f.getFileName().toString().matches("record-broker-.*\\.jar")
                            && !f.getFileName().toString().endsWith("-plain.jar"))
                    .filter(f -> f.toFile().lastModified() >= compiled).findFirst();
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** The compiled sandbox (src/sandbox), copied out of the test classes by the build for spring-boot:run. */
    static final String SANDBOX_CLASSES = Path.of("target/sandbox-classes").toAbsolutePath().normalize().toString();

    private static List<String> command(String classPath, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-Djava.library.path=" + System.getProperty("java.library.path"));
        command.add("-cp");
        command.add(classPath);
        command.add(RecordBrokerApplication.class.getName());
        return command;
    }

    /**
     * Surefire and failsafe set {@code java.class.path} to the real test class path even when it boots from a manifest-only jar;
     * should it ever be that jar alone, its manifest Class-Path is honoured by {@code -cp} all the same.
     */
    static String classPath() {
        String separator = System.getProperty("path.separator");
        String testClasses = Path.of("target/test-classes").toAbsolutePath().normalize().toString();
        return Stream.of(System.getProperty("java.class.path").split(separator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().normalize().toString().equals(testClasses))
                .collect(Collectors.joining(separator));
    }
}
