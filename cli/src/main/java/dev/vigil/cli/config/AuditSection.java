package dev.vigil.cli.config;

import dev.vigil.audit.SigningKeyFile;
import dev.vigil.core.config.AuditConfig;
import dev.vigil.core.config.RepositoryLocation;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binds {@code audit}: the log's origin, the checkpoint signing key (read here, so a missing, malformed or exposed key
 * is a configuration error naming {@code audit.signing-key}), the trusted public keys and the operator keys (each
 * parsed), the grace period and the witness (a location bound as {@code repository} is).
 */
final class AuditSection {

    private AuditSection() {}

    static Optional<AuditConfig> bind(ConfigNode section) {
        if (section.isMissing() || !section.requireObject()) {
            return Optional.empty();
        }
        Optional<String> origin = section.requiredString("origin");
        Optional<Path> signingKey = section.absolutePath("signing-key");
        List<String> publicKeys = verifierKeys(section.child("public-keys"));
        List<String> operatorKeys = verifierKeys(section.child("operator-keys"));
        ConfigNode witnessSection = section.child("witness");
        Optional<RepositoryLocation> witness =
                witnessSection.isMissing() ? Optional.empty() : RepositorySection.bind(witnessSection);
        Duration grace = section.duration("grace", AuditConfig.DEFAULT_GRACE);
        section.rejectUnknownKeys();
        if (origin.isPresent()
                && (origin.get().isBlank() || !origin.get().strip().equals(origin.get()))) {
            section.child("origin")
                    .problem("must be one word naming this repository's log, e.g. vigil.example.com/repo-1");
            return Optional.empty();
        }
        if (signingKey.isPresent()) {
            try {
                SigningKeyFile.load(signingKey.get());
            } catch (IOException e) {
                section.child("signing-key").problem(String.valueOf(e.getMessage()));
                return Optional.empty();
            }
        }
        return origin.map(o -> new AuditConfig(o, signingKey, publicKeys, grace, operatorKeys, witness));
    }

    /** A list of verifier keys ({@code name+hash+key}), each parsed; a malformed one is a problem naming it. */
    private static List<String> verifierKeys(ConfigNode keys) {
        List<String> parsed = new ArrayList<>();
        if (!keys.isMissing()) {
            for (ConfigNode key : keys.elements()) {
                Optional<String> text = key.text();
                if (text.isEmpty()) {
                    continue;
                }
                try {
                    NoteKeys.parseVerifier(text.get());
                    parsed.add(text.get());
                } catch (IllegalArgumentException e) {
                    key.problem(String.valueOf(e.getMessage()));
                }
            }
        }
        return parsed;
    }
}
