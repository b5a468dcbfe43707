package dev.vigil.core.repository;

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
 * <li>fields a reader does not know are ignored, so a newer Vigil's documents stay readable by an older one.
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
        try (ObjectStream in = store.get(key)) {
            return Optional.of(RepositoryJson.MAPPER.readValue(in.readAllBytes(), type));
        } catch (ObjectNotFoundException goneMeanwhile) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IOException(
                    type.getSimpleName() + " " + key + " in " + store.describe() + " is unreadable or damaged: "
                            + e.getMessage() + "; move it aside (it is evidence) and run the command again",
                    e);
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
