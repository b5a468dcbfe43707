package dev.vigil.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The reasons a partition or the repository is not compliant, each under the requirement it fails. Not thread safe. */
final class Reasons {

    private final List<String> texts = new ArrayList<>();
    private final Map<Requirement, List<String>> byRequirement = new EnumMap<>(Requirement.class);

    void add(Requirement requirement, String reason) {
        texts.add(reason);
        byRequirement.computeIfAbsent(requirement, r -> new ArrayList<>()).add(reason);
    }

    /** Every reason, in the order given. */
    List<String> texts() {
        return List.copyOf(texts);
    }

    /** The reasons under one requirement, each prefixed (e.g. with the partition). */
    List<String> failures(Requirement requirement, String prefix) {
        return byRequirement.getOrDefault(requirement, List.of()).stream()
                .map(r -> prefix + r)
                .toList();
    }

    Set<Requirement> failed() {
        return new LinkedHashSet<>(byRequirement.keySet());
    }

    boolean isEmpty() {
        return texts.isEmpty();
    }
}
