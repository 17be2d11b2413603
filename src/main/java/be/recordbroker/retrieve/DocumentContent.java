package be.recordbroker.retrieve;

/**
 * An opened document, ready to be answered: either a byte stream from a REST source ({@link StreamedContent}) or a
 * KMEHR message from a SOAP source or a hub ({@link KmehrContent}). Closing releases the source connection.
 */
public sealed interface DocumentContent extends AutoCloseable permits StreamedContent, KmehrContent {

    SourceRoute route();

    @Override
    void close();
}
