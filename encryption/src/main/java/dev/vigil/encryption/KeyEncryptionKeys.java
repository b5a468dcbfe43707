package dev.vigil.encryption;

import java.io.IOException;
import java.util.Set;

/**
 * Where the keys that wrap each object's data key come from (a keyring file today; a KMS is the other kind the design
 * allows). A data key is wrapped under the active key and unwrapped under the key its object's header names; the
 * {@code context} (repository id and object key, {@link EnvelopeContext}) is bound to the wrapping, so a wrapped key
 * moved to another object or repository does not unwrap. Implementations are thread safe.
 */
public interface KeyEncryptionKeys {

    /** The id of the key new objects are wrapped under. */
    String activeKeyId();

    /** The ids of every key that can unwrap. */
    Set<String> keyIds();

    /** {@code dataKey} wrapped under the active key, bound to {@code context}. */
    byte[] wrap(byte[] dataKey, byte[] context) throws IOException;

    /**
     * The data key wrapped as {@code wrapped} under {@code keyId}, bound to {@code context}.
     *
     * @throws KeyUnavailableException when there is no key {@code keyId} here
     * @throws WrongKeyException       when the key {@code keyId} does not open it (another key under the same id, a
     *                                 wrapped key moved from another object or repository, or tampering)
     */
    byte[] unwrap(String keyId, byte[] wrapped, byte[] context) throws IOException;

    /** Where the keys are, for messages ({@code keyring /etc/vigil/keyring.json}); never a key's material. */
    String describe();
}
