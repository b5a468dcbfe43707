package dev.vigil.core.repository;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.VigilVersion;
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
        T document;
        try (ObjectStream in = store.get(key)) {
            JsonNode tree = RepositoryJson.MAPPER.readTree(in.readAllBytes());
            if (VersionedDocument.class.isAssignableFrom(type)) {
                refuseNewer(store, key, type, tree);
            }
            document = RepositoryJson.MAPPER.treeToValue(tree, type);
        } catch (ObjectNotFoundException goneMeanwhile) {
            return Optional.empty();
        } catch (NewerFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(
                    type.getSimpleName() + " " + key + " in " + store.describe() + " is unreadable or damaged: "
                            + e.getMessage() + "; move it aside (it is evidence) and run the command again",
                    e);
        }
        return Optional.of(document);
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
}
