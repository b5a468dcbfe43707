package dev.vigil.encryption;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.testkit.store.ObjectStoreContract;
import dev.vigil.testkit.store.StoredBytes;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store contract every store keeps, kept by the encrypting store over a local directory: what features rely
 * on (atomic puts, only-if-absent, checksums validated on the way in and re-checked on the way out, ranges, metadata,
 * listings in order) holds with encryption switched on; a flipped stored byte (ciphertext) is caught.
 */
class EncryptedStoreContractTest extends ObjectStoreContract {

    @TempDir
    Path root;

    @Override
    protected ObjectStore store() throws Exception {
        Keyring keyring = Keyring.create("k1", Instant.parse("2026-12-07T00:00:00Z"), new SecureRandom());
        return new EncryptingObjectStore(
                ObjectStores.localDirectory(root.resolve("repo"), Clock.systemUTC()),
                new KeyringKeys(keyring, root.resolve("keyring.json"), new SecureRandom()),
                "contract-repository",
                root.resolve("scratch"));
    }

    @Override
    protected boolean listsObjectSizes() {
        return false;
    }

    @Override
    protected void corruptStoredBytes(String key, long offset) throws Exception {
        StoredBytes.flip(root.resolve("repo"), key, offset, 0xff);
    }
}
