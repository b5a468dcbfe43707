package dev.vigil.core.alert;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.util.Map;

/**
 * Records every alert in the repository itself ({@code alerts/<day>/…}, see {@link RepositoryLayout#alertKey}):
 * the audit trail from which compliance reports count the findings of a period and whether each was resolved.
 * Every daemon and command adds it to its configured sinks. An alert about the repository being unreachable
 * cannot be recorded there; the dispatcher logs that failure and the other sinks still deliver it. Thread safe.
 */
public final class RepositoryAlertSink implements AlertSink {

    private final ObjectStore store;
    private final String host;

    /** {@code host} names the machine that raised the alert, in the record. */
    public RepositoryAlertSink(ObjectStore store, String host) {
        this.store = store;
        this.host = host;
    }

    @Override
    public void publish(Alert alert) throws IOException {
        Map<String, Object> record = alert.toMap();
        record.put("host", host);
        byte[] bytes = RepositoryJson.MAPPER.writeValueAsBytes(record);
        // The host is part of the key: daemons on several nodes raising the same alert in one millisecond keep a
        // record each (a report counts them as occurrences of one finding).
        store.put(PutRequest.overwrite(
                RepositoryLayout.alertKey(alert.time(), alert.type().name(), alert.key() + "|" + host),
                ObjectBody.ofBytes(bytes),
                Checksum.of(ChecksumAlgorithm.CRC32C, bytes),
                Map.of()));
    }

    @Override
    public String describe() {
        return "repository " + store.describe();
    }
}
