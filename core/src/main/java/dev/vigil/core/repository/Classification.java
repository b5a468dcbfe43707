package dev.vigil.core.repository;

import dev.vigil.core.ReplicaId;
import dev.vigil.core.digest.Digest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is wrong when replicas and the reference disagree at one LSN (DESIGN §4, with the reference as one vote): the
 * reference and the replicas matching it must outnumber every group of replicas that agree on another digest. One
 * replica off and the rest with the reference: that replica diverged. Every replica in one group against the
 * reference: the archive (or the replay) diverged. Anything else: no majority. Stateless; see
 * {@code docs/architecture.md}.
 */
public final class Classification {

    private Classification() {}

    /** The status of each replica's digest against {@code reference}, in the iteration order of {@code replicas}. */
    public static Map<ReplicaId, Verdict.Status> classify(Digest reference, Map<ReplicaId, Digest> replicas) {
        Map<ReplicaId, Verdict.Status> statuses = new LinkedHashMap<>();
        Map<String, Integer> groups = new HashMap<>();
        int matching = 0;
        for (Digest digest : replicas.values()) {
            if (digest.sameAs(reference)) {
                matching++;
            } else {
                groups.merge(digest.rootHex(), 1, Integer::sum);
            }
        }
        int largestOther =
                groups.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        Verdict.Status offStatus;
        if (matching == replicas.size()) {
            offStatus = Verdict.Status.CLEAN;
        } else if (matching == 0 && replicas.size() >= 2 && groups.size() == 1) {
            offStatus = Verdict.Status.ARCHIVE_DIVERGED;
        } else if (matching + 1 > largestOther || replicas.size() == 1) {
            offStatus = Verdict.Status.REPLICA_DIVERGED;
        } else {
            offStatus = Verdict.Status.NO_MAJORITY;
        }
        for (Map.Entry<ReplicaId, Digest> entry : replicas.entrySet()) {
            boolean matches = entry.getValue().sameAs(reference);
            statuses.put(
                    entry.getKey(),
                    matches && offStatus != Verdict.Status.NO_MAJORITY
                            ? Verdict.Status.CLEAN
                            : matches ? Verdict.Status.NO_MAJORITY : offStatus);
        }
        return statuses;
    }

    /** Whether a status says the reference (the archive's state) is contradicted, not just one replica. */
    public static boolean contradictsTheArchive(Verdict.Status status) {
        return status == Verdict.Status.ARCHIVE_DIVERGED || status == Verdict.Status.NO_MAJORITY;
    }
}
