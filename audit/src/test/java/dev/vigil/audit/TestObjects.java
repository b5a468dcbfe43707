package dev.vigil.audit;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** What the audit's tests write with: a store logged as a writer would log it, and small objects put into one. */
final class TestObjects {

    private TestObjects() {}

    /** {@code raw} with every put and delete logged by {@code writer} on {@code clock}, intents in {@code intents}. */
    static LoggingObjectStore logged(ObjectStore raw, Clock clock, String writer, Path intents) {
        return new LoggingObjectStore(raw, new LogAppender(raw), clock, writer, new LogIntents(intents));
    }

    /** Puts {@code content} (UTF-8) at {@code key}, replacing what is there, with its CRC32C. */
    static void put(ObjectStore store, String key, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
    }
}
