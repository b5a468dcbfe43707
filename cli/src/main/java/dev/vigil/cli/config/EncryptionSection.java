package dev.vigil.cli.config;

import dev.vigil.core.config.EncryptionConfig;
import dev.vigil.encryption.Keyring;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Binds {@code encryption}: where the keys come from (a keyring file, or a KMS key) and the repository id, each rule at
 * its key. A keyring is read here, so a missing, malformed or group-readable keyring is a configuration error naming
 * {@code encryption.keyring} before any object is written or read; a KMS key is first used at the first write or read
 * ({@code vigil check-config --connect} proves it: its probe object is encrypted).
 */
final class EncryptionSection {

    private EncryptionSection() {}

    static Optional<EncryptionConfig> bind(ConfigNode section) {
        if (section.isMissing() || !section.requireObject()) {
            return Optional.empty();
        }
        Optional<Path> keyring = section.absolutePath("keyring");
        Optional<String> kmsKeyId = section.optionalString("kms-key-id");
        Optional<String> kmsRegion = section.optionalString("kms-region");
        Optional<String> kmsEndpointText = section.optionalString("kms-endpoint");
        Optional<String> repositoryId = section.requiredString("repository-id");
        section.rejectUnknownKeys();
        boolean hasKeyring = !section.child("keyring").isMissing();
        boolean hasKms = !section.child("kms-key-id").isMissing();
        if (hasKeyring == hasKms) {
            section.child(hasKeyring ? "kms-key-id" : "keyring")
                    .problem(
                            hasKeyring
                                    ? "give keyring or kms-key-id, not both"
                                    : "is required, or kms-key-id: the keyring file (vigil keys create --keyring FILE) or the"
                                            + " KMS key's ARN");
            return Optional.empty();
        }
        if (!hasKms && (kmsRegion.isPresent() || kmsEndpointText.isPresent())) {
            section.child(kmsRegion.isPresent() ? "kms-region" : "kms-endpoint").problem("only with kms-key-id");
        }
        Optional<URI> kmsEndpoint = Optional.empty();
        if (kmsEndpointText.isPresent()) {
            try {
                URI uri = new URI(kmsEndpointText.get());
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                    throw new URISyntaxException(kmsEndpointText.get(), "not an http(s) URL");
                }
                kmsEndpoint = Optional.of(uri);
            } catch (URISyntaxException e) {
                section.child("kms-endpoint").problem("'" + kmsEndpointText.get() + "' is not an https:// URL");
            }
        }
        if (repositoryId.isPresent() && !repositoryId.get().matches("[A-Za-z0-9._-]{1,64}")) {
            section.child("repository-id")
                    .problem("'" + repositoryId.get() + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
            return Optional.empty();
        }
        if (repositoryId.isEmpty() || (hasKeyring && keyring.isEmpty()) || (hasKms && kmsKeyId.isEmpty())) {
            return Optional.empty();
        }
        if (keyring.isPresent()) {
            try {
                Keyring.load(keyring.get());
            } catch (Keyring.KeyringException e) {
                section.child("keyring").problem(String.valueOf(e.getMessage()));
                return Optional.empty();
            }
        }
        return Optional.of(new EncryptionConfig(keyring, kmsKeyId, kmsRegion, kmsEndpoint, repositoryId.get()));
    }
}
