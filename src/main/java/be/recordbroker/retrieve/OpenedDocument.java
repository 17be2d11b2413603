package be.recordbroker.retrieve;

/** What the retrieval route hands to a face: the retrieval as decided, and the document opened at its source. */
public record OpenedDocument(Retrieval retrieval, DocumentContent content) {

    @Override
    public String toString() {
        return "OpenedDocument[" + retrieval + "]";
    }
}
