package dev.vigil.store.s3;

import dev.vigil.core.io.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the S3 server behind a store guarantees, learned once per process by {@link S3Probe} and remembered in a cache
 * file (when the store has one) for {@link #PROBE_VALID_FOR}, so that short-lived commands do not probe it again; the
 * refusal or the warnings it implies are logged when it is learned. Thread safe.
 */
final class S3ServerProbe {

    private static final Logger LOG = LoggerFactory.getLogger(S3ServerProbe.class);

    /** How long a cached probe of the server is trusted. */
    static final Duration PROBE_VALID_FOR = Duration.ofHours(24);

    private final S3Bucket bucket;
    private final Optional<Path> probeCache;
    private final Clock clock;
    private @Nullable S3Capabilities capabilities;

    S3ServerProbe(S3Bucket bucket, Optional<Path> probeCache, Clock clock) {
        this.bucket = bucket;
        this.probeCache = probeCache;
        this.clock = clock;
    }

    /**
     * What the server was found to do: probed at the first write (or {@link S3ObjectStore#guarantees}) and kept for the process;
     * with a cache file, a probe of the same server less than {@link #PROBE_VALID_FOR} old is used instead.
     */
    synchronized S3Capabilities capabilities() throws IOException {
        if (capabilities != null) {
            return capabilities;
        }
        Instant now = clock.instant();
        String server = S3Probe.server(bucket);
        Optional<S3Capabilities> cached = probeCache
                .flatMap(S3ServerProbe::readCache)
                .filter(c -> c.server().equals(server))
                .filter(c -> c.probedAt().plus(PROBE_VALID_FOR).isAfter(now)
                        && !c.probedAt().isAfter(now));
        S3Capabilities found = cached.isPresent() ? cached.get() : S3Probe.run(bucket, now);
        if (cached.isEmpty() && probeCache.isPresent()) {
            writeCache(probeCache.get(), found);
        }
        Optional<String> refusal = found.refusal(bucket.description(), bucket.settings());
        refusal.ifPresent(why -> LOG.error("{}", why));
        found.warnings(bucket.settings()).forEach(warning -> LOG.warn("{}: {}", bucket.description(), warning));
        capabilities = found;
        return found;
    }

    private static Optional<S3Capabilities> readCache(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return S3Capabilities.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void writeCache(Path file, S3Capabilities found) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            found.save(bytes);
            DurableFiles.replace(file, bytes.toByteArray());
        } catch (IOException e) {
            LOG.warn("cannot remember the S3 probe in {} ({}); the next process probes again", file, e.toString());
        }
    }
}
