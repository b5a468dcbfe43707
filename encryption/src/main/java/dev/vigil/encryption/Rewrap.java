package dev.vigil.encryption;

import dev.vigil.core.store.ChecksumMismatchException;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Puts existing objects under the active key ({@code vigil keys rewrap}). The header that names an object's key is
 * part of the object and bound into its ciphertext's associated data, and S3 cannot change part of an object, so each
 * object is read (decrypted and authenticated as any read is), encrypted afresh under a new data key wrapped by the
 * active key, and put back <b>only while it is still the version listed</b> ({@link PutRequest#replacing}): an object
 * its writer replaced meanwhile (already under the active key) or retention deleted meanwhile is left alone and
 * counted, never brought back or rolled back. Objects already under the active key are skipped after reading their
 * header only, so a run that was interrupted (even by SIGKILL: an object is replaced atomically or not at all) is
 * resumed by running it again. Objects whose key is missing or whose header is damaged are named and left as they are.
 * Not thread safe: one run at a time per instance.
 */
public final class Rewrap {

    /**
     * What to rewrap.
     *
     * @param fromKey          only objects under this key id (empty: every key but the active one)
     * @param includePlaintext also encrypt objects written before encryption was switched on
     * @param dryRun           only count what would be rewrapped
     */
    public record Options(Optional<String> fromKey, boolean includePlaintext, boolean dryRun) {}

    /** Told about each object as it is handled. */
    @FunctionalInterface
    public interface Progress {
        void handled(String key, Action action, long storedBytes);
    }

    /** What became of one object. */
    public enum Action {
        REWRAPPED,
        ALREADY_ACTIVE,
        NOT_SELECTED,
        PLAINTEXT_LEFT,
        CHANGED_MEANWHILE,
        UNOPENABLE,
        DAMAGED
    }

    /**
     * What a run did.
     *
     * @param examined     objects listed
     * @param rewrapped    objects put back under the active key (or, dry run, that would be)
     * @param bytesRead    stored bytes read to rewrap them
     * @param bytesWritten stored bytes written
     * @param changed      objects replaced or deleted by another writer between the listing and the put: left alone
     * @param unopenable   objects whose key is missing or does not open, or whose header is damaged: named, left
     * @param damaged      objects whose stored bytes or ciphertext failed their checks while read: named, left (vigil
     *                     verify archive reports them too)
     */
    public record Outcome(
            long examined,
            long rewrapped,
            long bytesRead,
            long bytesWritten,
            long alreadyActive,
            long plaintextLeft,
            long notSelected,
            List<String> changed,
            List<KeyCheck> unopenable,
            List<String> damaged) {

        public Outcome {
            changed = List.copyOf(changed);
            unopenable = List.copyOf(unopenable);
            damaged = List.copyOf(damaged);
        }

        /** Whether every selected object is now under the active key. */
        public boolean complete() {
            return changed.isEmpty() && unopenable.isEmpty() && damaged.isEmpty();
        }
    }

    private final EncryptingObjectStore store;
    private final LongConsumer pace;

    /** {@code pace}: called with the stored bytes of each object before it is read (a rate limiter); may block. */
    public Rewrap(EncryptingObjectStore store, LongConsumer pace) {
        this.store = store;
        this.pace = pace;
    }

    public Outcome run(Options options, Progress progress) throws IOException {
        String active = store.activeKeyId();
        long examined = 0;
        long rewrapped = 0;
        long read = 0;
        long written = 0;
        long alreadyActive = 0;
        long plaintextLeft = 0;
        long notSelected = 0;
        List<String> changed = new ArrayList<>();
        List<KeyCheck> unopenable = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        for (Iterator<ObjectSummary> it = store.listAll(""); it.hasNext(); ) {
            ObjectSummary object = it.next();
            examined++;
            KeyCheck check;
            try {
                check = store.checkKey(object.key(), object.size());
            } catch (ObjectNotFoundException deletedSinceListed) {
                changed.add(object.key());
                progress.handled(object.key(), Action.CHANGED_MEANWHILE, 0);
                continue;
            }
            Action action = select(check, active, options);
            if (action == Action.REWRAPPED && !options.dryRun()) {
                try {
                    Optional<ObjectInfo> stored = rewrap(object);
                    if (stored.isEmpty()) {
                        action = Action.CHANGED_MEANWHILE;
                    } else {
                        read += object.size();
                        written += stored.get().size();
                    }
                } catch (ObjectCorruptException e) {
                    action = Action.DAMAGED;
                    damaged.add(object.key() + ": " + e.getMessage());
                }
            }
            switch (action) {
                case REWRAPPED -> rewrapped++;
                case ALREADY_ACTIVE -> alreadyActive++;
                case PLAINTEXT_LEFT -> plaintextLeft++;
                case NOT_SELECTED -> notSelected++;
                case CHANGED_MEANWHILE -> changed.add(object.key());
                case UNOPENABLE -> unopenable.add(check);
                case DAMAGED -> {
                    // named above, with what was found
                }
            }
            progress.handled(object.key(), action, object.size());
        }
        return new Outcome(
                examined,
                rewrapped,
                read,
                written,
                alreadyActive,
                plaintextLeft,
                notSelected,
                changed,
                unopenable,
                damaged);
    }

    private static Action select(KeyCheck check, String active, Options options) {
        return switch (check.state()) {
            case PLAINTEXT -> options.includePlaintext() ? Action.REWRAPPED : Action.PLAINTEXT_LEFT;
            case KEY_MISSING, DOES_NOT_OPEN, HEADER_DAMAGED -> Action.UNOPENABLE;
            case OPENS -> {
                if (check.keyId().equals(active)) {
                    yield Action.ALREADY_ACTIVE;
                }
                yield options.fromKey().map(from -> from.equals(check.keyId())).orElse(true)
                        ? Action.REWRAPPED
                        : Action.NOT_SELECTED;
            }
        };
    }

    /**
     * Re-encrypts {@code object} under the active key, replacing it only while it is the version listed; what was
     * stored, or empty when another writer replaced or deleted it first.
     */
    private Optional<ObjectInfo> rewrap(ObjectSummary object) throws IOException {
        pace.accept(object.size());
        // One read gives the plaintext's size, checksum and metadata (as its writer recorded them) and the body the
        // encryption consumes; only a retried upload reads the object again.
        AtomicReference<@Nullable ObjectStream> firstRead = new AtomicReference<>();
        try {
            firstRead.set(store.get(object.key()));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        ObjectInfo plain = Objects.requireNonNull(firstRead.get()).info();
        ObjectBody body = new ObjectBody() {
            @Override
            public long length() {
                return plain.size();
            }

            @Override
            public InputStream open() throws IOException {
                ObjectStream first = firstRead.getAndSet(null);
                return first != null ? first : store.get(object.key());
            }

            @Override
            public String describe() {
                return object.key() + " as stored";
            }
        };
        try {
            return Optional.of(store.put(
                    PutRequest.replacing(object.key(), body, plain.checksum(), plain.metadata(), object.version())));
        } catch (PreconditionFailedException | ObjectNotFoundException e) {
            return Optional.empty();
        } catch (ChecksumMismatchException e) {
            // The bytes read were not those first described: replaced between two reads of a retried upload.
            return Optional.empty();
        } finally {
            ObjectStream unread = firstRead.getAndSet(null);
            if (unread != null) {
                unread.close();
            }
        }
    }
}
