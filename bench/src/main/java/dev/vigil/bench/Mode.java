package dev.vigil.bench;

import dev.vigil.audit.LogAppender;
import dev.vigil.audit.LogIntents;
import dev.vigil.audit.LoggingObjectStore;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.Keyring;
import dev.vigil.encryption.KeyringKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;

/** How a benchmark's store is set up, as {@code encryption:} (a fresh keyring key) or {@code audit:} configure it. */
enum Mode {
    PLAIN("Vigil archiver"),
    ENCRYPTED("Vigil archiver, encrypted"),
    LOGGED("Vigil archiver, every put logged (audit:)");

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** {@code plain} set up this way; {@code local}: a directory for its local files (scratch, intents). */
    ObjectStore open(ObjectStore plain, Path local) throws Exception {
        return switch (this) {
            case PLAIN -> plain;
            case ENCRYPTED -> {
                SecureRandom random = new SecureRandom();
                Keyring keyring = Keyring.create("bench", Instant.now(), random);
                yield new EncryptingObjectStore(
                        plain, new KeyringKeys(keyring, local.resolve("keyring.json"), random), "bench", local);
            }
            case LOGGED ->
                new LoggingObjectStore(
                        plain,
                        new LogAppender(plain),
                        Clock.systemUTC(),
                        "bench",
                        new LogIntents(local.resolve("intents")));
        };
    }
}
