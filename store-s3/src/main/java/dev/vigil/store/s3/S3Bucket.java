package dev.vigil.store.s3;

import dev.vigil.core.store.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the S3 store's parts share: the client (and the one for empty bodies, see {@link EmptyBodyClient}), the
 * settings, the key prefix every key is stored under, how the store
 * names itself in messages, and the error mapping.
 */
record S3Bucket(
        S3Client s3,
        EmptyBodyClient emptyBodies,
        S3Settings settings,
        String keyPrefix,
        String description,
        S3Errors errors) {

    static S3Bucket of(S3Client s3, EmptyBodyClient emptyBodies, S3Settings settings) {
        String description = settings.describe();
        return new S3Bucket(
                s3,
                emptyBodies,
                settings,
                settings.prefix().isEmpty() ? "" : settings.prefix() + "/",
                description,
                new S3Errors(description, settings));
    }

    String bucket() {
        return settings.bucket();
    }
}
