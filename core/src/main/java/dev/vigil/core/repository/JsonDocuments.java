package dev.vigil.core.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.Errors;
import dev.vigil.core.VigilVersion;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading the small JSON documents Vigil keeps in the repository (verdicts, drill records, recorded alerts), the
 * same way everywhere:
 * <ul>
 * <li>only keys ending in {@code .json} are documents: some S3-compatible servers (S3Proxy) list a put still in
 *     progress under a temporary name beside it;
 * <li>a document listed but gone when read (deleted by retention, or that temporary name) is skipped, not an error;
 * <li>a document that cannot be parsed is an error naming its key;
 * <li>fields a reader does not know are ignored, so a newer Vigil's documents stay readable by an older one;
 * <li>a {@link VersionedDocument} in a format newer than this Vigil reads is an error naming its key and version.
 * </ul>
 * Thread safe.
 */
public final class JsonDocuments {

    private JsonDocuments() {}

    /** The keys of the documents under {@code prefix}, in listing (key) order. */
    public static List<String> keys(ObjectStore store, String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        store.forEach(prefix, object -> {
            String key = object.key();
            if (key.endsWith(".json")) {
                keys.add(key);
            }
        });
        return keys;
    }

    /**
     * Reads one document; empty when it no longer exists.
     *
     * @throws IOException when it cannot be read or parsed, naming the key
     */
    public static <T> Optional<T> read(ObjectStore store, String key, Class<T> type) throws IOException {
        byte[] bytes;
        try (ObjectStream in = store.get(key)) {
            bytes = in.readAllBytes();
        } catch (ObjectNotFoundException goneMeanwhile) {
            return Optional.empty();
        } catch (ObjectCorruptException e) {
            throw damaged(store, key, type, e);
        } catch (IOException e) {
            throw new IOException(
                    type.getSimpleName() + " " + key + " in " + store.describe() + " could not be read: "
                            + e.getMessage(),
                    e);
        }
        try {
            JsonNode tree = RepositoryJson.MAPPER.readTree(bytes);
            if (VersionedDocument.class.isAssignableFrom(type)) {
                refuseNewer(store, key, type, tree);
            }
            return Optional.of(RepositoryJson.MAPPER.treeToValue(tree, type));
        } catch (NewerFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw damaged(store, key, type, e);
        }
    }

    private static DamagedDocumentException damaged(ObjectStore store, String key, Class<?> type, Exception e) {
        return new DamagedDocumentException(
                type.getSimpleName() + " " + key + " in " + store.describe() + " is unreadable or damaged: "
                        + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage())
                        + "; move it aside (it is evidence) and run the command again",
                e);
    }

    /** Checked before a document is bound to its type, because a newer format may not bind at all. */
    private static void refuseNewer(ObjectStore store, String key, Class<?> type, JsonNode tree)
            throws NewerFormatException {
        int version = tree.path("version").asInt(1);
        int newest = VersionedDocument.newestReadable(type.asSubclass(VersionedDocument.class));
        if (version > newest) {
            throw new NewerFormatException(type.getSimpleName() + " " + key + " in " + store.describe()
                    + " is in format version " + version + ", newer than this Vigil reads (up to " + newest
                    + "): this machine runs Vigil " + VigilVersion.version()
                    + "; upgrade it to the version that wrote the repository");
        }
    }

    /** A document in a format this Vigil does not read; not "damaged", so it gets its own message. */
    private static final class NewerFormatException extends IOException {
        private static final long serialVersionUID = 1L;

        NewerFormatException(String message) {
            super(message);
        }
    }

    /** Every document under {@code prefix}, in key order. */
    public static <T> List<T> readAll(ObjectStore store, String prefix, Class<T> type) throws IOException {
        List<T> documents = new ArrayList<>();
        for (String key : keys(store, prefix)) {
            read(store, key, type).ifPresent(documents::add);
        }
        return documents;
    }

    /**
     * Every readable document under {@code prefix}, in key order; one that is damaged or in a newer format is added to
     * {@code unreadable} (with its key and why) and skipped.
     *
     * @throws IOException when the prefix cannot be listed (then nothing can be said of any document)
     */
    public static <T> List<T> readAll(ObjectStore store, String prefix, Class<T> type, UnreadableDocuments unreadable)
            throws IOException {
        List<T> documents = new ArrayList<>();
        for (String key : keys(store, prefix)) {
            readOrNote(store, key, type, unreadable).ifPresent(documents::add);
        }
        return documents;
    }

    /** As {@link #read}, but a damaged or too-new document is noted in {@code unreadable} and comes back empty. */
    public static <T> Optional<T> readOrNote(
            ObjectStore store, String key, Class<T> type, UnreadableDocuments unreadable) throws IOException {
        try {
            return read(store, key, type);
        } catch (NewerFormatException | DamagedDocumentException e) {
            unreadable.add(key, Errors.message(e));
            return Optional.empty();
        }
    }

    /** A document that was read but cannot be parsed or bound; distinct from a store that cannot be reached. */
    private static final class DamagedDocumentException extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedDocumentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
