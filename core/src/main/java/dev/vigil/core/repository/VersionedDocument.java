package dev.vigil.core.repository;

/**
 * A JSON document whose format carries a version. An implementation declares {@code public static final int VERSION}:
 * the version it writes, and the newest it reads. The version changes only when a change would make an older Vigil
 * misread the document (a field removed or given another meaning); added fields keep it, because readers ignore
 * fields they do not know. A document written before versions were recorded reads as version 1. A reader refuses a
 * document newer than it understands, naming the key (see {@link JsonDocuments#read}), rather than misread it.
 */
public interface VersionedDocument {

    /** The version this document was written in. */
    int version();

    /** The newest version of {@code type} this Vigil reads: its {@code VERSION} constant. */
    static int newestReadable(Class<? extends VersionedDocument> type) {
        try {
            return type.getField("VERSION").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " does not declare public static final int VERSION", e);
        }
    }
}
