package dev.vigil.core.store;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.io.ProcessTag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Proves that a repository can do what Vigil needs before anything relies on it: list it, write a small probe
 * object "only if absent", read it back byte for byte, and delete it. Each step that fails is named with the store's
 * own explanation (credentials, permissions, bucket, endpoint). The probe lives under {@code probes/}, which nothing
 * else reads, and is removed even when the read fails.
 */
public final class StoreProbe {

    /** Where probe objects are written. */
    public static final String PREFIX = "probes/";

    private final ObjectStore store;
    private final Clock clock;
    private final RandomGenerator random;

    public StoreProbe(ObjectStore store, Clock clock, RandomGenerator random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /** What the probe did: each step in order, with how long the whole took. */
    public record Result(List<String> steps, Duration elapsed) {}

    /** A step of the probe failed; {@link #getMessage()} names the step and the store's reason. */
    public static final class ProbeFailure extends IOException {
        private static final long serialVersionUID = 1L;

        public ProbeFailure(String message) {
            this(message, null);
        }

        ProbeFailure(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    public Result run() throws ProbeFailure {
        Instant started = clock.instant();
        List<String> steps = new ArrayList<>();
        String key = PREFIX + "check-config-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE)
                + ProcessTag.current().suffix();
        byte[] body = ("vigil probe written at " + started + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ObjectListing listing = store.list("", Optional.empty(), 1);
            steps.add("listed " + store.describe()
                    + (listing.objects().isEmpty() ? " (empty: a new repository)" : " (it holds objects)"));
        } catch (IOException e) {
            throw new ProbeFailure("cannot list " + store.describe() + ": " + e.getMessage(), e);
        }
        try {
            store.put(PutRequest.ifAbsent(
                    key, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.CRC32C, body), Map.of()));
            steps.add("wrote " + store.locate(key) + " (" + body.length + " bytes, only if absent)");
        } catch (IOException e) {
            throw new ProbeFailure("cannot write " + store.locate(key) + ": " + e.getMessage(), e);
        }
        ProbeFailure failure = null;
        try (ObjectStream in = store.get(key)) {
            byte[] read = in.readAllBytes();
            if (!Arrays.equals(read, body)) {
                failure = new ProbeFailure(
                        "read " + store.locate(key) + " back as " + read.length + " different bytes" + " (wrote "
                                + body.length + "): something between Vigil and the store changes data",
                        null);
            } else {
                steps.add("read it back: the same bytes, checksum verified");
            }
        } catch (IOException e) {
            failure = new ProbeFailure("cannot read back " + store.locate(key) + ": " + e.getMessage(), e);
        }
        try {
            store.delete(key);
            steps.add("deleted it");
        } catch (IOException e) {
            ProbeFailure cannotDelete = new ProbeFailure(
                    "cannot delete " + store.locate(key) + ": " + e.getMessage()
                            + " (Vigil needs to delete for retention; remove the probe object by hand)",
                    e);
            if (failure == null) {
                throw cannotDelete;
            }
            failure.addSuppressed(cannotDelete);
        }
        if (failure != null) {
            throw failure;
        }
        return new Result(steps, Duration.between(started, clock.instant()));
    }
}
