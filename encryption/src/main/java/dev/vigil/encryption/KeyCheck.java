package dev.vigil.encryption;

import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Whether an object's data key opens with the keys configured here, from its header alone (a ranged read of its first
 * bytes; its body is not read: {@code vigil verify archive} proves bodies). What {@code vigil keys check} reports.
 *
 * @param keyId  the key id its header names; empty for a plaintext object or a damaged header
 * @param detail why it does not open; empty when it does
 */
public record KeyCheck(String key, State state, String keyId, String detail) {

    /** What {@link KeyCheck} found about one object's encryption. */
    public enum State {
        /** Written before encryption was switched on. */
        PLAINTEXT,
        /** Its data key opens under a key configured here. */
        OPENS,
        /** The key its header names is not configured here. */
        KEY_MISSING,
        /** The key its header names is configured but does not open it (another key under that id, moved, damaged). */
        DOES_NOT_OPEN,
        /** Its encryption header does not parse. */
        HEADER_DAMAGED
    }

    /**
     * Checks one object's header, read from the stored bytes of {@code raw}, against {@code keys}; {@code size} is its
     * stored size (as listed: no request is made for it).
     */
    static KeyCheck of(ObjectStore raw, KeyEncryptionKeys keys, String repositoryId, String key, long size)
            throws IOException {
        int limit = 8 + 1 + 1 + 2 + EnvelopeHeader.MAX_KEY_ID + 2 + EnvelopeHeader.MAX_WRAPPED_KEY;
        if (size < EnvelopeHeader.MAGIC.length) {
            return new KeyCheck(key, State.PLAINTEXT, "", "");
        }
        byte[] first;
        try (ObjectStream in = raw.get(key, new ByteRange(0, Math.min(size, limit)))) {
            first = in.readAllBytes();
        }
        if (!EnvelopeHeader.startsWithMagic(first)) {
            return new KeyCheck(key, State.PLAINTEXT, "", "");
        }
        EnvelopeHeader header;
        try {
            ByteArrayInputStream rest = new ByteArrayInputStream(
                    first, EnvelopeHeader.MAGIC.length, first.length - EnvelopeHeader.MAGIC.length);
            header = EnvelopeHeader.readAfterMagic(rest);
        } catch (EnvelopeHeader.DamagedHeader e) {
            return new KeyCheck(key, State.HEADER_DAMAGED, "", String.valueOf(e.getMessage()));
        }
        try {
            keys.unwrap(header.keyId(), header.wrappedKey(), new EnvelopeContext(repositoryId, key));
            return new KeyCheck(key, State.OPENS, header.keyId(), "");
        } catch (KeyUnavailableException e) {
            return new KeyCheck(key, State.KEY_MISSING, header.keyId(), String.valueOf(e.getMessage()));
        } catch (WrongKeyException e) {
            return new KeyCheck(key, State.DOES_NOT_OPEN, header.keyId(), String.valueOf(e.getMessage()));
        }
    }
}
