package dev.vigil.cli.config;

import dev.vigil.core.config.EncryptionConfig;
import dev.vigil.encryption.Keyring;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Binds {@code encryption}: the keyring and the repository id, each rule at its key. The keyring is read here, so a
 * missing, malformed or group-readable keyring is a configuration error naming {@code encryption.keyring}, before
 * any object is written or read.
 */
final class EncryptionSection {

    private EncryptionSection() {}

    static Optional<EncryptionConfig> bind(ConfigNode section) {
        if (section.isMissing() || !section.requireObject()) {
            return Optional.empty();
        }
        Optional<Path> keyring = section.absolutePath("keyring");
        if (section.child("keyring").isMissing()) {
            section.child("keyring")
                    .problem("is required: the keyring file (create one with vigil keys create --keyring FILE)");
        }
        Optional<String> repositoryId = section.requiredString("repository-id");
        section.rejectUnknownKeys();
        if (repositoryId.isPresent() && !repositoryId.get().matches("[A-Za-z0-9._-]{1,64}")) {
            section.child("repository-id")
                    .problem("'" + repositoryId.get() + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
            return Optional.empty();
        }
        if (keyring.isEmpty() || repositoryId.isEmpty()) {
            return Optional.empty();
        }
        try {
            Keyring.load(keyring.get());
        } catch (Keyring.KeyringException e) {
            section.child("keyring").problem(String.valueOf(e.getMessage()));
            return Optional.empty();
        }
        return Optional.of(new EncryptionConfig(keyring.get(), repositoryId.get()));
    }
}
