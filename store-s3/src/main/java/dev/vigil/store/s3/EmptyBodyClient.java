package dev.vigil.store.s3;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The client that puts empty bodies. Over plain HTTP the AWS SDK signs request bodies chunk by chunk (aws-chunked),
 * which some servers refuse for an empty body (Ceph RGW Pacific: {@code XAmzContentSHA256Mismatch}); signing whole
 * payloads instead would cost every large upload a second pass over its body before it is sent (measured: 16 MiB
 * segments at half the throughput), so only empty bodies go through a second client built without chunked signing,
 * on first use. Over HTTPS, or where it is never needed, it is the main client. Closes what it built. Thread safe.
 */
final class EmptyBodyClient implements AutoCloseable {

    private final S3Client main;
    private final @Nullable Supplier<S3Client> unchunked;
    private @Nullable S3Client built;

    /** @param unchunked how to build a client without chunked signing; null where the main client will do */
    EmptyBodyClient(S3Client main, @Nullable Supplier<S3Client> unchunked) {
        this.main = main;
        this.unchunked = unchunked;
    }

    synchronized S3Client get() {
        if (unchunked == null) {
            return main;
        }
        if (built == null) {
            built = unchunked.get();
        }
        return built;
    }

    @Override
    public synchronized void close() {
        if (built != null) {
            built.close();
            built = null;
        }
    }
}
