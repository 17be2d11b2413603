package be.recordbroker.config;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.apache.activemq.artemis.nativo.jlibaio.LibaioContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artemis' libaio binding for every way the broker is started, {@code java -jar} included. Artemis loads
 * {@code libartemis-native-64.so} only with {@code System.loadLibrary}, that is from {@code java.library.path}, which
 * the JVM reads once at start: {@code ./mvnw} and the image set it, {@code java -jar} does not. So, before the embedded
 * server starts, the broker copies the binding that the activemq-artemis-native jar carries ({@code lib/linux-x86_64/})
 * from the class path into the Artemis data directory and loads it with {@code System.load} (same class loader as
 * Artemis' {@code LibaioContext}, so its native methods bind to it). Artemis has no setting for a library file, so its
 * "loaded" flag is then set by reflection (artemis-native 2.0.0: {@code private static boolean loaded}, what its own
 * loader sets after the same {@code System.loadLibrary}); the native version is checked first, as Artemis does.
 * Where the system lacks libaio ({@code libaio.so.1}) the load fails, and Artemis falls back to NIO (logged as a WARN
 * by {@link ArtemisEmbeddedConfiguration}).
 */
final class ArtemisNativeBinding {

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisNativeBinding.class);

    private static volatile String outcome = "not tried (journal type is not ASYNCIO)";

    private ArtemisNativeBinding() {
    }

    /** How the binding was loaded ("java.library.path", "data directory"), or why not. */
    static String outcome() {
        return outcome;
    }

    /** The binding's resource in the artemis-native jar for this JVM, if Artemis ships one for it. */
    static Optional<String> resourceForThisPlatform() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> Optional.of("lib/linux-x86_64/libartemis-native-64.so");
            case "x86", "i386", "i686" -> Optional.of("lib/linux-i686/libartemis-native-32.so");
            default -> Optional.empty();
        };
    }

    /**
     * Makes the binding loaded if it is not yet (nothing to do when java.library.path already had it). Returns how:
     * "library path", "data directory", or why not; never throws.
     */
    static synchronized String ensureLoaded(Path artemisDataDirectory) {
        outcome = load(artemisDataDirectory);
        return outcome;
    }

    private static String load(Path artemisDataDirectory) {
        if (LibaioContext.isLoaded()) {
            return "java.library.path";
        }
        Optional<String> resource = resourceForThisPlatform();
        if (resource.isEmpty()) {
            return "no binding for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        }
        try (InputStream in = LibaioContext.class.getClassLoader().getResourceAsStream(resource.get())) {
            if (in == null) {
                return "no " + resource.get() + " on the class path";
            }
            Path dir = artemisDataDirectory.resolve("native");
            Files.createDirectories(dir);
            Path target = dir.resolve(Path.of(resource.get()).getFileName().toString());
            byte[] binding = in.readAllBytes();
            if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), binding)) {
                // written aside and moved: another broker process never loads a half-written file
                Path partial = Files.createTempFile(dir, "binding", ".part");
                Files.write(partial, binding);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            System.load(target.toAbsolutePath().toString());
            int version = (int) invokeStatic("getNativeVersion");
            int expected = field("EXPECTED_NATIVE_VERSION").getInt(null);
            if (version != expected) {
                return "binding version " + version + ", Artemis expects " + expected;
            }
            field("loaded").setBoolean(null, true);
            LOG.debug("Artemis' libaio binding loaded from {}", target);
            return "data directory";
        } catch (IOException | UnsatisfiedLinkError | ReflectiveOperationException | RuntimeException e) {
            // typically libaio.so.1 missing on the system, or a data directory mounted noexec
            return e.toString();
        }
    }

    private static Field field(String name) throws ReflectiveOperationException {
        Field f = LibaioContext.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static Object invokeStatic(String method) throws ReflectiveOperationException {
        var m = LibaioContext.class.getDeclaredMethod(method);
        m.setAccessible(true);
        return m.invoke(null);
    }
}
