package dev.vigil.audit;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A writer for {@link LogCrashTest}, run as a process of its own: puts, replaces and deletes objects through the log
 * of a local repository as fast as it can, saying each step on stdout, until it is killed. Args: repository, intents
 * directory, name.
 */
public final class LogWriterProcess {

    private LogWriterProcess() {}

    public static void main(String[] args) throws Exception {
        ObjectStore raw = ObjectStores.localDirectory(Path.of(args[0]), Clock.systemUTC());
        LoggingObjectStore logged = new LoggingObjectStore(
                raw, new LogAppender(raw), Clock.systemUTC(), args[2], new LogIntents(Path.of(args[1])));
        logged.recover().forEach(done -> System.out.println("recovered " + done));
        for (long i = 0; ; i++) {
            String key = "partitions/" + args[2] + "/wal/" + (i % 50) + ".seg";
            byte[] bytes = ("records " + i + " of " + args[2]).repeat(200).getBytes(StandardCharsets.UTF_8);
            if (i % 7 == 6) {
                logged.delete(key);
                System.out.println("deleted " + key);
            } else {
                logged.put(PutRequest.overwrite(
                        key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
                System.out.println("put " + key);
            }
            System.out.flush();
        }
    }
}
