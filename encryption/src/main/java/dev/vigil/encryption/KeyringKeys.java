package dev.vigil.encryption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key-encryption keys from a {@link Keyring}: a data key is wrapped with AES-256-GCM under the active key (a random
 * 96-bit nonce, then the ciphertext and its 128-bit tag), the key id and the object's context as associated data.
 * Thread safe (every call builds its own cipher).
 */
public final class KeyringKeys implements KeyEncryptionKeys {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys = new TreeMap<>();
    private final String active;
    private final Path file;
    private final SecureRandom random;

    public KeyringKeys(Keyring keyring, Path file, SecureRandom random) {
        for (Keyring.Key key : keyring.keys()) {
            keys.put(key.id(), new SecretKeySpec(key.bytes(), "AES"));
        }
        this.active = keyring.active();
        this.file = file;
        this.random = random;
    }

    @Override
    public String activeKeyId() {
        return active;
    }

    @Override
    public Set<String> keyIds() {
        return new LinkedHashSet<>(keys.keySet());
    }

    @Override
    public DataKey newDataKey(EnvelopeContext context) throws IOException {
        byte[] dataKey = new byte[Keyring.KEY_BYTES];
        random.nextBytes(dataKey);
        return new DataKey(active, dataKey, wrap(dataKey, context.bytes()));
    }

    private byte[] wrap(byte[] dataKey, byte[] context) throws IOException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(active), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(active, context));
            byte[] sealed = cipher.doFinal(dataKey);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot wrap a data key under key " + active + " of " + describe() + ": " + e, e);
        }
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, EnvelopeContext envelope) throws IOException {
        byte[] context = envelope.bytes();
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new KeyUnavailableException(
                    "key " + keyId + " is not in " + describe() + " (it holds " + String.join(", ", keys.keySet())
                            + "); add the key back from your key backup: keys that objects still need must stay",
                    keyId);
        }
        if (wrapped.length <= NONCE_BYTES) {
            throw new WrongKeyException("the wrapped data key is " + wrapped.length + " bytes, too short to open");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(keyId, context));
            return cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new WrongKeyException(
                    "key " + keyId + " of " + describe() + " does not open its data key: the keyring"
                            + " holds another key under that id, or the object was encrypted for another object key or"
                            + " repository (encryption.repository-id)");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot unwrap a data key under key " + keyId + " of " + describe() + ": " + e, e);
        }
    }

    @Override
    public String describe() {
        return "keyring " + file;
    }

    private static byte[] associatedData(String keyId, byte[] context) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + id.length + context.length)
                .putInt(id.length)
                .put(id)
                .put(context)
                .array();
    }
}
