package be.recordbroker.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** {@code record-broker.retrieve.*}: retrieval from the original source (docs/retrieval.md). */
@ConfigurationProperties("record-broker.retrieve")
public class RetrieveProperties {

    /** The buffer a REST retrieval copies through, source socket to caller socket (Tomcat gets a response buffer of
     * the same size, so a retrieval holds twice this): larger means fewer copies and system calls per byte. */
    private DataSize bufferSize = DataSize.ofKilobytes(256);
    /**
     * Largest document a KMEHR answer (SOAP GetTransaction) carries: such an answer is one message in memory, so this
     * bounds the heap a SOAP retrieval can take. Larger documents are refused there ({@code DOCUMENT_TOO_LARGE});
     * REST streams any size.
     */
    private DataSize maxInlineSize = DataSize.ofMegabytes(32);
    /** Wrapped content above this size leaves the SOAP face as an MTOM attachment instead of inline base64. */
    private DataSize mtomThreshold = DataSize.ofKilobytes(64);

    public DataSize getBufferSize() { return bufferSize; }
    public void setBufferSize(DataSize bufferSize) { this.bufferSize = bufferSize; }
    public DataSize getMaxInlineSize() { return maxInlineSize; }
    public void setMaxInlineSize(DataSize maxInlineSize) { this.maxInlineSize = maxInlineSize; }
    public DataSize getMtomThreshold() { return mtomThreshold; }
    public void setMtomThreshold(DataSize mtomThreshold) { this.mtomThreshold = mtomThreshold; }
}
