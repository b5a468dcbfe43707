package dev.vigil.encryption;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Data keys from AWS KMS: {@code GenerateDataKey} (AES-256) under the configured key for each object, {@code Decrypt}
 * to open one, both with the encryption context {@code vigil-repository} and {@code vigil-object}, so KMS refuses a
 * wrapped key presented for another object or repository (and CloudTrail records which object each use was for). KMS
 * keeps the key material: rotating it ({@code EnableKeyRotation}) needs nothing from Vigil, and an object always opens
 * under the key it names while that key is enabled. The header names the key as configured (use its ARN). Thread safe
 * (the SDK's client is).
 */
public final class KmsKeys implements KeyEncryptionKeys, Closeable {

    private final KmsClient kms;
    private final String keyId;
    private final boolean ownsClient;

    /** {@code keyId}: the KMS key new objects are wrapped under (an ARN, a key id or an alias ARN); {@code kms} is the caller's. */
    public KmsKeys(KmsClient kms, String keyId) {
        this(kms, keyId, false);
    }

    private KmsKeys(KmsClient kms, String keyId, boolean ownsClient) {
        this.kms = kms;
        this.keyId = keyId;
        this.ownsClient = ownsClient;
    }

    /**
     * Keys of KMS in {@code region} (else the region of the key's ARN, else the SDK's default chain), at {@code
     * endpoint} when given (a VPC endpoint), with the SDK's default credentials chain, as the S3 repository uses.
     * Closing them closes the client.
     */
    public static KmsKeys open(String keyId, Optional<String> region, Optional<URI> endpoint) {
        KmsClientBuilder builder = KmsClient.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        region.or(() -> regionOfArn(keyId)).map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        return new KmsKeys(builder.build(), keyId, true);
    }

    /** The region named in a key or alias ARN ({@code arn:aws:kms:REGION:ACCOUNT:key/ID}). */
    static Optional<String> regionOfArn(String keyId) {
        String[] parts = keyId.split(":", -1);
        return parts.length >= 6 && parts[0].equals("arn") && !parts[3].isEmpty()
                ? Optional.of(parts[3])
                : Optional.empty();
    }

    @Override
    public void close() {
        if (ownsClient) {
            kms.close();
        }
    }

    @Override
    public String activeKeyId() {
        return keyId;
    }

    @Override
    public Set<String> keyIds() {
        return Set.of(keyId);
    }

    @Override
    public DataKey newDataKey(EnvelopeContext context) throws IOException {
        try {
            GenerateDataKeyResponse response = kms.generateDataKey(
                    b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(encryptionContext(context)));
            return new DataKey(
                    keyId,
                    response.plaintext().asByteArray(),
                    response.ciphertextBlob().asByteArray());
        } catch (KmsException e) {
            throw unavailable(keyId, context, "GenerateDataKey", e);
        } catch (SdkException e) {
            throw new IOException(
                    "KMS did not answer GenerateDataKey for key " + keyId + " (" + context.objectKey() + "): "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public byte[] unwrap(String wrappedUnder, byte[] wrapped, EnvelopeContext context) throws IOException {
        try {
            DecryptResponse response = kms.decrypt(b -> b.keyId(wrappedUnder)
                    .ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(encryptionContext(context)));
            return response.plaintext().asByteArray();
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw new WrongKeyException("KMS key " + wrappedUnder + " does not open its data key ("
                    + e.awsErrorDetails().errorMessage() + "): the object was encrypted for another object key or"
                    + " repository (encryption.repository-id), or its header was altered");
        } catch (KmsException e) {
            throw unavailable(wrappedUnder, context, "Decrypt", e);
        } catch (SdkException e) {
            throw new IOException("KMS did not answer Decrypt for key " + wrappedUnder + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "KMS key " + keyId;
    }

    private static KeyUnavailableException unavailable(
            String key, EnvelopeContext context, String operation, KmsException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        return new KeyUnavailableException(
                "KMS refused " + operation + " with key " + key + " (" + code + ": "
                        + (e.awsErrorDetails() == null
                                ? e.getMessage()
                                : e.awsErrorDetails().errorMessage())
                        + ") for " + context.objectKey() + "; check that the key exists, is enabled, and that this"
                        + " process's credentials may use it (kms:GenerateDataKey, kms:Decrypt)",
                key);
    }

    private static Map<String, String> encryptionContext(EnvelopeContext context) {
        return Map.of("vigil-repository", context.repositoryId(), "vigil-object", context.objectKey());
    }
}
