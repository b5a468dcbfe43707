package dev.vigil.demoapp;

import dev.vigil.encryption.Keyring;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The demo's encryption: a keyring with one key, created under the demo's directory (owner-only, as Vigil requires of
 * every keyring), and the {@code encryption:} section every process of the demo shares. Every object the demo's
 * daemons and workers store is sealed with its own data key wrapped by that key.
 *
 * @param section  the {@code encryption:} section, top level, ending in a newline
 * @param keyring  the keyring file
 * @param keyId    the active key's id
 */
record DemoKeys(String section, Path keyring, String keyId) {

    static final String KEY_ID = "demo-key-1";
    static final String REPOSITORY_ID = "vigil-demo";

    /** Creates the keyring under {@code directory} with a fresh random key. */
    static DemoKeys create(Path directory, Clock clock) throws IOException {
        Path file = directory.resolve("keyring.json");
        Keyring.create(KEY_ID, clock.instant(), new SecureRandom()).save(file);
        return new DemoKeys(
                "encryption:\n  keyring: " + file + "\n  repository-id: " + REPOSITORY_ID + "\n", file, KEY_ID);
    }

    /** What the demo says of it in its first step. */
    String describe() {
        return "   Encryption at rest: every object Vigil stores is sealed (AES-256-GCM, streaming) with a data key of its"
                + " own, wrapped by key " + keyId + " of the keyring " + keyring + " (readable by its owner only); the"
                + " repository never holds a plaintext record or key.";
    }
}
