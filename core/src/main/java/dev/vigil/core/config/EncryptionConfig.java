package dev.vigil.core.config;

import java.nio.file.Path;

/**
 * Client-side encryption of the repository ({@code encryption:}): every object Vigil writes is encrypted under a
 * fresh data key, wrapped by the active key of the keyring.
 *
 * @param keyring      the keyring file (owner-only; {@code vigil keys create} writes one)
 * @param repositoryId what every object is bound to, so an object moved to another repository does not decrypt; fixed
 *                     for the repository's life and the same in every copy of it (a replica bucket, a restore of the
 *                     bucket)
 */
public record EncryptionConfig(Path keyring, String repositoryId) {}
