package dev.vigil.encryption;

import java.io.IOException;
import java.util.Set;

/**
 * Where each object's data key comes from and how it is opened again: a keyring file ({@link KeyringKeys}: drawn here,
 * wrapped with AES-256-GCM) or AWS KMS ({@link KmsKeys}: {@code GenerateDataKey} and {@code Decrypt}). The
 * {@link EnvelopeContext} (repository id and object key) is bound to every data key, so a wrapped key moved to another
 * object or repository does not open. Implementations are thread safe.
 */
public interface KeyEncryptionKeys {

    /** A fresh data key: its bytes, and the same wrapped under the key named {@code keyId}. */
    record DataKey(String keyId, byte[] plaintext, byte[] wrapped) {}

    /** The id of the key new objects are wrapped under. */
    String activeKeyId();

    /** The ids of every key that can unwrap (for KMS: the configured key; KMS knows the others by themselves). */
    Set<String> keyIds();

    /** A fresh 256-bit data key for the object of {@code context}, wrapped under the active key. */
    DataKey newDataKey(EnvelopeContext context) throws IOException;

    /**
     * The data key wrapped as {@code wrapped} under {@code keyId} for the object of {@code context}.
     *
     * @throws KeyUnavailableException when the key {@code keyId} cannot be used here (not in the keyring; unknown,
     *                                 disabled or not permitted in KMS)
     * @throws WrongKeyException       when the key {@code keyId} does not open it (another key under the same id, a
     *                                 wrapped key moved from another object or repository, or tampering)
     */
    byte[] unwrap(String keyId, byte[] wrapped, EnvelopeContext context) throws IOException;

    /** Where the keys are, for messages ({@code keyring /etc/vigil/keyring.json}); never a key's material. */
    String describe();
}
