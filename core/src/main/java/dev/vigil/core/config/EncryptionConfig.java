package dev.vigil.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Client-side encryption of the repository ({@code encryption:}): every object Vigil writes is encrypted under a
 * fresh data key, from a keyring file or from AWS KMS (exactly one of the two).
 *
 * @param keyring      the keyring file (owner-only; {@code vigil keys create} writes one)
 * @param kmsKeyId     the KMS key data keys are generated under (its ARN)
 * @param kmsRegion    KMS's region, when the key id is not an ARN that names it
 * @param kmsEndpoint  KMS's endpoint, when not the region's public one (a VPC endpoint)
 * @param repositoryId what every object is bound to, so an object moved to another repository does not decrypt; fixed
 *                     for the repository's life and the same in every copy of it (a replica bucket, a restore of the
 *                     bucket)
 */
public record EncryptionConfig(
        Optional<Path> keyring,
        Optional<String> kmsKeyId,
        Optional<String> kmsRegion,
        Optional<URI> kmsEndpoint,
        String repositoryId) {

    /** Keys from a keyring file. */
    public static EncryptionConfig keyring(Path keyring, String repositoryId) {
        return new EncryptionConfig(
                Optional.of(keyring), Optional.empty(), Optional.empty(), Optional.empty(), repositoryId);
    }

    /** Where the keys are, for messages. */
    public String describeKeys() {
        return keyring.map(k -> "keyring " + k).orElseGet(() -> "KMS key " + kmsKeyId.orElse("?"));
    }
}
