package be.recordbroker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import be.recordbroker.domain.DocumentId;
import be.recordbroker.domain.DocumentIdCodec;

/** Where the document id key comes from: configured, required in prod, else generated once per data directory. */
class DocumentIdKeyTest {

    static final DocumentId ID = new DocumentId("1990000035", "85073003328", "RSWID", "1");

    @TempDir
    Path dataDir;

    @Test
    void withoutAKeyOutsideProdOneIsGeneratedOncePerDataDirOwnerOnly() throws Exception {
        MockEnvironment env = new MockEnvironment().withProperty("record-broker.data-dir", dataDir.toString());
        DocumentIdCodec first = new DocumentIdConfiguration().documentIdCodec(env);
        DocumentIdCodec second = new DocumentIdConfiguration().documentIdCodec(env);

        Path key = dataDir.resolve("keys").resolve("document-id.key");
        assertThat(key).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(second.decode(first.encode(ID))).as("the same key after a restart").isEqualTo(ID);
    }

    @Test
    void aConfiguredKeyIsUsedAndMustBe32Bytes() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        DocumentIdCodec codec = new DocumentIdConfiguration().documentIdCodec(new MockEnvironment()
                .withProperty("record-broker.document-id.key", key)
                .withProperty("record-broker.data-dir", dataDir.toString()));
        assertThat(new DocumentIdCodec(new byte[32]).decode(codec.encode(ID))).isEqualTo(ID);
        assertThat(dataDir.resolve("keys")).doesNotExist();
        assertThatThrownBy(() -> new DocumentIdConfiguration().documentIdCodec(new MockEnvironment()
                .withProperty("record-broker.document-id.key", "c2hvcnQ=")))
                .hasMessageContaining("record-broker.document-id.key");
    }

    @Test
    void prodRefusesToStartWithoutAKey() {
        MockEnvironment env = new MockEnvironment().withProperty("record-broker.data-dir", dataDir.toString());
        env.setActiveProfiles("prod");
        assertThatThrownBy(() -> new DocumentIdConfiguration().documentIdCodec(env))
                .hasMessageContaining("record-broker.document-id.key is not set");
        assertThat(dataDir.resolve("keys")).doesNotExist();
    }
}
