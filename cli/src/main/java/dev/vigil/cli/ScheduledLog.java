package dev.vigil.cli;

import dev.vigil.audit.AuditFinding;
import dev.vigil.audit.AuditState;
import dev.vigil.audit.Auditor;
import dev.vigil.audit.Checkpointer;
import dev.vigil.audit.LeafCache;
import dev.vigil.audit.SigningKeyFile;
import dev.vigil.cli.config.Repositories;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.AuditConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.tlog.Checkpoint;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository's log on the daemon's (or the fleet's) schedule: a checkpoint signed on {@code schedule.checkpoint}
 * where {@code audit.signing-key} is set, and the audit on {@code schedule.audit}, which raises
 * {@code REPOSITORY_TAMPERED} naming what it found and resolves it when an audit finds the repository as its log says.
 * An audit that proves nothing (no signed checkpoint) fails, so the job's failure says so: never a quiet pass. An
 * audit resumes from the last one ({@link AuditState} in the work directory) and reads every object again at least
 * every {@link #FULL_EVERY}. Each run opens the repository as stored and closes it. Thread safe.
 */
public final class ScheduledLog {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledLog.class);

    /** How many findings an alert names. */
    static final int NAMED = 10;

    /** How often the scheduled audit reads every object, not only those listed differently since the last one. */
    static final Duration FULL_EVERY = Duration.ofDays(7);

    /** The leaves of the log this machine has read, so that a checkpoint reads only the entries appended since. */
    static LeafCache leafCache(VigilConfig config, ObjectStore stored, AuditConfig audit) {
        return LeafCache.in(config.workDir().resolve("state"), stored.describe(), audit.origin());
    }

    /** Where an audit keeps what it proved, for the next one to resume from. */
    static Path stateFile(VigilConfig config) {
        return config.workDir().resolve("state/audit-state.json.gz");
    }

    private final VigilConfig config;
    private final AlertPublisher alerts;
    private final Clock clock;

    public ScheduledLog(VigilConfig config, AlertPublisher alerts, Clock clock) {
        this.config = config;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** What a run did: its findings of tampering, and one line for the log and {@code /health}. */
    public record Outcome(int findings, String summary) {}

    /** Signs a checkpoint of the log now, if this machine signs them. */
    public Outcome checkpoint() throws IOException {
        AuditConfig audit = config.audit().orElse(null);
        if (audit == null || audit.signingKey().isEmpty()) {
            return new Outcome(0, "no audit.signing-key here: checkpoints are signed where it is set");
        }
        NoteKeys.Signer signer = SigningKeyFile.load(audit.signingKey().get());
        try (Repositories.Witness witness = Repositories.witness(config, clock);
                ObjectStore stored = Repositories.stored(config, clock, false)) {
            Checkpoint checkpoint = new Checkpointer(
                            stored,
                            signer,
                            audit.origin(),
                            clock,
                            Optional.of(leafCache(config, stored, audit)),
                            witness.store())
                    .checkpoint();
            return new Outcome(0, "signed the log's checkpoint at " + checkpoint.size() + " entries");
        }
    }

    /**
     * Audits the repository against its log, and raises or resolves {@code REPOSITORY_TAMPERED}.
     *
     * @throws IOException when the repository cannot be read, or the audit proved nothing (no signed checkpoint)
     */
    public Outcome audit() throws IOException {
        AuditConfig audit = config.audit().orElse(null);
        if (audit == null) {
            return new Outcome(0, "audit: is not configured: the repository keeps no log to audit");
        }
        Auditor.Report report;
        String where;
        Path stateFile = stateFile(config);
        Optional<AuditState> previous = AuditState.load(stateFile)
                .filter(p -> Duration.between(p.fullAt(), clock.instant()).compareTo(FULL_EVERY) < 0);
        try (Repositories.Witness witness = Repositories.witness(config, clock);
                ObjectStore stored = Repositories.stored(config, clock, false)) {
            where = stored.describe();
            report = witness.of(new Auditor(stored, trusted(audit), audit.grace(), clock))
                    .audit(previous);
        }
        try {
            report.state().save(stateFile);
        } catch (IOException e) {
            LOG.warn(
                    "could not save what the audit proved to {} ({}); the next audit reads everything again",
                    stateFile,
                    e.getMessage());
        }
        List<AuditFinding> tampering = new ArrayList<>();
        report.findings().stream().filter(AuditFinding::tampering).forEach(tampering::add);
        if (!tampering.isEmpty()) {
            alerts.raise(Alert.of(AlertType.REPOSITORY_TAMPERED, clock.instant())
                    .message(tampering.size() + " finding(s) of tampering or loss in " + where + " against its log of "
                            + report.entries() + " entries: "
                            + String.join(
                                    "; ",
                                    tampering.stream()
                                            .limit(NAMED)
                                            .map(f -> f.kind() + " " + f.subject())
                                            .toList())
                            + (tampering.size() > NAMED ? "; …" : ""))
                    .action("run 'vigil audit --config FILE' for every finding with the entry it contradicts; find who"
                            + " could write the bucket; restore altered or removed segments from the nodes or a copy"
                            + " (vigil verify archive names them), then audit again")
                    .detail("findings", Integer.toString(tampering.size()))
                    .build());
            return new Outcome(
                    tampering.size(),
                    tampering.size() + " finding(s) of tampering or loss; first: " + tampering.getFirst());
        }
        if (report.checkpoints() == 0 && report.entries() > 0) {
            throw new IOException("the audit proved nothing: no signed checkpoint anchors the log of "
                    + report.entries() + " entries; set audit.signing-key where checkpoints are signed"
                    + " (schedule.checkpoint), or run 'vigil audit checkpoint'");
        }
        String summary = report.objects() + " object(s) compared with the log of " + report.entries() + " entries ("
                + report.checkpoints() + " signed checkpoint(s); " + (report.full() ? "full: " : "resumed: ")
                + report.objectsHashed() + " object(s) read): as the log says"
                + (report.findings().isEmpty() ? "" : "; " + report.findings().size() + " pending");
        alerts.resolve(AlertResolution.of(AlertType.REPOSITORY_TAMPERED, clock.instant(), summary));
        return new Outcome(0, summary);
    }

    /** The keys an audit trusts: the configured public keys, and the signing key's own. */
    static List<NoteKeys.Verifier> trusted(AuditConfig audit) throws IOException {
        List<NoteKeys.Verifier> trusted = new ArrayList<>();
        audit.publicKeys().forEach(key -> trusted.add(NoteKeys.parseVerifier(key)));
        if (audit.signingKey().isPresent()) {
            NoteKeys.Verifier own =
                    SigningKeyFile.load(audit.signingKey().get()).verifier();
            if (!trusted.contains(own)) {
                trusted.add(own);
            }
        }
        return trusted;
    }
}
