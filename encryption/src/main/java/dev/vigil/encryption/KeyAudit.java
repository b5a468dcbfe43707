package dev.vigil.encryption;

import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Proves that every object in the repository opens with the keys configured now, from each object's header alone (one
 * ranged read of its first bytes, and one unwrap of its data key: a local operation with a keyring, a KMS
 * {@code Decrypt} per object with KMS). What {@code vigil keys check} prints and the scheduled key check alerts on.
 * Stateless.
 */
public final class KeyAudit {

    private KeyAudit() {}

    /**
     * What one audit found.
     *
     * @param counts   objects per state
     * @param byKey    objects that open, per key id
     * @param problems every object whose key is missing or does not open, or whose header is damaged
     */
    public record Result(Map<KeyCheck.State, Integer> counts, Map<String, Integer> byKey, List<KeyCheck> problems) {

        public Result {
            counts = Map.copyOf(counts);
            byKey = Collections.unmodifiableMap(new TreeMap<>(byKey)); // by key id, as printed
            problems = List.copyOf(problems);
        }

        public int count(KeyCheck.State state) {
            return counts.getOrDefault(state, 0);
        }

        /** How many objects were checked. */
        public int objects() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** The key ids the problems name (missing or not opening), sorted. */
        public List<String> problemKeyIds() {
            return problems.stream()
                    .map(KeyCheck::keyId)
                    .filter(id -> !id.isEmpty())
                    .distinct()
                    .sorted()
                    .toList();
        }
    }

    /** Checks every object of {@code store}'s repository; an object deleted while listed is left out. */
    public static Result run(EncryptingObjectStore store) throws IOException {
        Map<KeyCheck.State, Integer> counts = new EnumMap<>(KeyCheck.State.class);
        Map<String, Integer> byKey = new TreeMap<>();
        List<KeyCheck> problems = new ArrayList<>();
        for (Iterator<ObjectSummary> it = store.listAll(""); it.hasNext(); ) {
            ObjectSummary object = it.next();
            KeyCheck check;
            try {
                check = store.checkKey(object.key(), object.size());
            } catch (ObjectNotFoundException deletedSinceListed) {
                continue;
            }
            counts.merge(check.state(), 1, Integer::sum);
            if (check.state() == KeyCheck.State.OPENS) {
                byKey.merge(check.keyId(), 1, Integer::sum);
            } else if (check.state() != KeyCheck.State.PLAINTEXT) {
                problems.add(check);
            }
        }
        return new Result(counts, byKey, problems);
    }
}
