package be.recordbroker.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import be.recordbroker.domain.DocumentIdCodec;
import be.recordbroker.domain.SealedTokens;

/**
 * The key document ids are sealed under ({@link DocumentIdCodec}): {@code record-broker.document-id.key} (base64,
 * 32 bytes). Required in prod. Elsewhere, without it, a key is generated once and kept in
 * {@code <data-dir>/keys/document-id.key} (owner-only permissions), so ids stay valid across restarts of one
 * installation without anyone having to make up a key. The same key, under another derivation, seals the FHIR
 * face's paging links ({@link SealedTokens}).
 */
@Configuration(proxyBeanMethods = false)
public class DocumentIdConfiguration {

    static final String KEY_PROPERTY = "record-broker.document-id.key";
    static final String KEY_FILE = "document-id.key";

    private static final Logger LOG = LoggerFactory.getLogger(DocumentIdConfiguration.class);

    @Bean
    DocumentIdCodec documentIdCodec(Environment environment) {
        return new DocumentIdCodec(key(environment));
    }

    /** The FHIR face's paging links (fhir/PageLinks.java), sealed under a key derived from the same one. */
    @Bean
    SealedTokens sealedTokens(Environment environment) {
        return new SealedTokens(key(environment));
    }

    private static byte[] key(Environment environment) {
        String configured = environment.getProperty(KEY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return DocumentIdCodec.parseKey(configured, KEY_PROPERTY);
        }
        if (environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new IllegalStateException(KEY_PROPERTY + " is not set: prod needs the document id key (base64, "
                    + DocumentIdCodec.KEY_BYTES + " bytes; env RECORD_BROKER_DOCUMENT_ID_KEY)");
        }
        Path dir = Path.of(environment.getProperty("record-broker.data-dir", "./data")).resolve("keys");
        return DocumentIdCodec.parseKey(keyFile(dir), dir.resolve(KEY_FILE).toString());
    }

    /** The key kept in {@code dir}, generated (600) the first time. */
    static String keyFile(Path dir) {
        Path file = dir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] key = new byte[DocumentIdCodec.KEY_BYTES];
                new SecureRandom().nextBytes(key);
                String encoded = Base64.getEncoder().encodeToString(key) + "\n";
                try {
                    Files.createFile(file, posixOwnerOnly(dir));
                    Files.writeString(file, encoded, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
                    LOG.warn("no {} configured: generated a document id key in {} (fine outside prod; back it up with"
                            + " the data directory, ids handed out so far depend on it)", KEY_PROPERTY, file);
                } catch (FileAlreadyExistsException raced) {
                    // another start made it first: use that one
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the document id key " + file, e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] posixOwnerOnly(Path dir) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new java.nio.file.attribute.FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(Set.copyOf(PosixFilePermissions.fromString("rw-------")))};
        }
        return new java.nio.file.attribute.FileAttribute<?>[0];
    }
}
