package dev.vigil.report;

import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.EncryptedObjects;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link Requirement#ENCRYPTED_AT_REST}: every object stored in the period is held encrypted, as its stored form says
 * (one request per such object: the stored metadata names the key its writer used). An object deleted between the
 * listing and that request no longer exists to be judged and is left out. With encryption configured, a plaintext
 * object is a reason naming it; so is a period in which nothing was stored at all (nothing proves the writers
 * encrypt).
 */
final class EncryptionCheck {

    /** How many plaintext objects a report names. */
    static final int EXAMPLES = 20;

    private EncryptionCheck() {}

    static ComplianceReport.Encryption check(
            ObjectStore store, ReportRequirements requirements, Instant start, Instant end, Reasons reasons)
            throws IOException {
        long objects = 0;
        long plain = 0;
        Map<String, Long> byKey = new TreeMap<>();
        List<String> plainExamples = new ArrayList<>();
        for (Iterator<ObjectSummary> it = store.listAll(""); it.hasNext(); ) {
            ObjectSummary object = it.next();
            if (object.lastModified().isBefore(start)
                    || object.lastModified().isAfter(end)
                    || object.key().startsWith(RepositoryLayout.LOG)) {
                continue; // the tamper-evident log is plaintext by design: keys, sizes and hashes, no customer data
            }
            String keyId;
            try {
                keyId = store.headStored(object.key()).metadata().get(EncryptedObjects.KEY_ID_METADATA);
            } catch (ObjectNotFoundException deletedSinceListed) {
                continue;
            }
            objects++;
            if (keyId != null) {
                byKey.merge(keyId, 1L, Long::sum);
            } else {
                plain++;
                if (plainExamples.size() < EXAMPLES) {
                    plainExamples.add(object.key());
                }
            }
        }
        if (requirements.encryptionRequired()) {
            if (objects == 0) {
                reasons.add(
                        Requirement.ENCRYPTED_AT_REST,
                        "no object was stored in the period, so nothing shows that the repository's writers encrypt");
            } else if (plain > 0) {
                reasons.add(
                        Requirement.ENCRYPTED_AT_REST,
                        plain + " of " + objects + " object(s) stored in the period are in plaintext although"
                                + " encryption is configured (written before it was switched on, or by a process without the"
                                + " encryption: section), e.g. "
                                + String.join(", ", plainExamples.subList(0, Math.min(3, plainExamples.size()))));
            }
        }
        return new ComplianceReport.Encryption(
                requirements.encryptionRequired(), objects, objects - plain, byKey, plain, plainExamples);
    }
}
