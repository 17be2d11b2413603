package be.recordbroker.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Outside prod, when no audit key is given: one key generated on first start and kept in {@code <data-dir>/audit/key}
 * (owner read/write only), so that the chain is keyed in every run and verifies across restarts. Prod refuses to start
 * without {@code record-broker.audit.key}: a key next to the data would protect nothing there.
 */
public final class LocalAuditKey {

    private LocalAuditKey() {
    }

    /** The key's base64, read from {@code dir/key}, created there first when missing. */
    public static String loadOrCreate(Path dir) {
        Path file = dir.resolve("key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Path tmp = Files.createTempFile(dir, "key", ".tmp");
                restrict(tmp);
                Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                try {
                    Files.move(tmp, file); // not REPLACE_EXISTING: a key made meanwhile by another start wins
                } catch (FileAlreadyExistsException raced) {
                    Files.delete(tmp);
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("the local audit key " + file + " could not be read or created: "
                    + e.getMessage(), e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            file.toFile().setWritable(false, false);
            file.toFile().setWritable(true, true);
        }
    }
}
