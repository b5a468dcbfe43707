package dev.vigil.store.s3;

import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.S3ServerSideEncryption;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Asks S3 for the configured server-side encryption on every put and multipart upload, and checks that the answer
 * says it was applied: a server that ignores the request (S3Proxy, an old gateway) or applies something else is refused
 * at the first write, naming what was asked and what came back. Stateless.
 */
final class S3ServerSide {

    private S3ServerSide() {}

    static void ask(S3ServerSideEncryption sse, PutObjectRequest.Builder put) {
        switch (sse.mode()) {
            case NONE -> {}
            case SSE_S3 -> put.serverSideEncryption(ServerSideEncryption.AES256);
            case SSE_KMS -> {
                put.serverSideEncryption(ServerSideEncryption.AWS_KMS);
                sse.kmsKeyId().ifPresent(put::ssekmsKeyId);
                if (sse.bucketKey()) {
                    put.bucketKeyEnabled(true);
                }
            }
        }
    }

    static void ask(S3ServerSideEncryption sse, CreateMultipartUploadRequest.Builder create) {
        switch (sse.mode()) {
            case NONE -> {}
            case SSE_S3 -> create.serverSideEncryption(ServerSideEncryption.AES256);
            case SSE_KMS -> {
                create.serverSideEncryption(ServerSideEncryption.AWS_KMS);
                sse.kmsKeyId().ifPresent(create::ssekmsKeyId);
                if (sse.bucketKey()) {
                    create.bucketKeyEnabled(true);
                }
            }
        }
    }

    /**
     * Checks what the server answered against what was asked.
     *
     * @throws ObjectStoreException (not retryable) naming the object, what was asked and what came back
     */
    static void check(
            S3ServerSideEncryption sse,
            String where,
            @Nullable ServerSideEncryption answered,
            @Nullable String answeredKmsKey)
            throws ObjectStoreException {
        ServerSideEncryption expected = switch (sse.mode()) {
            case NONE -> null;
            case SSE_S3 -> ServerSideEncryption.AES256;
            case SSE_KMS -> ServerSideEncryption.AWS_KMS;
        };
        if (expected == null) {
            return;
        }
        boolean keyMatches = sse.kmsKeyId().isEmpty()
                || (answeredKmsKey != null
                        && (answeredKmsKey.equals(sse.kmsKeyId().get())
                                || answeredKmsKey.endsWith("/" + sse.kmsKeyId().get())));
        if (answered != expected || !keyMatches) {
            throw new ObjectStoreException(
                    where + ": asked for server-side encryption " + sse.describe() + ", the server answered "
                            + (answered == null ? "none" : answered.toString())
                            + (answeredKmsKey == null ? "" : " with key " + answeredKmsKey)
                            + "; the object is not counted as stored. This server does not apply it: set"
                            + " repository.s3.server-side-encryption: none (client-side encryption: still applies),"
                            + " or check the key and the bucket's policy",
                    false,
                    null);
        }
    }
}
