package dev.vigil.cli.config;

import dev.vigil.audit.AcknowledgementSignatures;
import dev.vigil.audit.Auditor;
import dev.vigil.audit.Checkpointer;
import dev.vigil.audit.LogAppender;
import dev.vigil.audit.LogIntents;
import dev.vigil.audit.LoggingObjectStore;
import dev.vigil.audit.ReportSeals;
import dev.vigil.audit.SigningKeyFile;
import dev.vigil.core.config.AuditConfig;
import dev.vigil.core.config.EncryptionConfig;
import dev.vigil.core.config.RepositoryLocation;
import dev.vigil.core.config.RetentionConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.repository.AcknowledgementCheck;
import dev.vigil.core.repository.ReportSealer;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.EncryptedObjects;
import dev.vigil.core.store.ObjectLockStatus;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.KeyEncryptionKeys;
import dev.vigil.encryption.Keyring;
import dev.vigil.encryption.KeyringKeys;
import dev.vigil.encryption.KmsKeys;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the object store a configuration names. */
public final class Repositories {

    private static final Logger LOG = LoggerFactory.getLogger(Repositories.class);

    private Repositories() {}

    /** The configured repository does not exist (and was not to be created). */
    public static final class NoSuchRepositoryException extends IOException {
        private static final long serialVersionUID = 1L;

        NoSuchRepositoryException(String message) {
            super(message);
        }
    }

    /** Where, under the work directory, what the S3 server was found to do is remembered for a day. */
    public static final String S3_PROBE_FILE = "state/s3-probe.properties";

    /**
     * Opens the repository of {@code config}. With {@code retention.object-lock}, archived segments, snapshot files
     * and reports are written with an S3 Object Lock until {@code retention.window} plus {@code retention.lock-margin}
     * after they are stored.
     */
    public static ObjectStore open(VigilConfig config, Clock clock) throws IOException {
        return open(config, clock, false);
    }

    /**
     * As {@link #open(VigilConfig, Clock)}; a local repository that does not exist is created only with
     * {@code create} (the node agent's archiver, which writes its first object), else refused: a command that reads,
     * reports or expires never creates a repository on a mistyped URL (which {@code check-config --connect} would then
     * find "reachable"). An S3 bucket is never created.
     *
     * @throws NoSuchRepositoryException when the local directory does not exist and {@code create} is false
     */
    public static ObjectStore open(VigilConfig config, Clock clock, boolean create) throws IOException {
        ObjectStore store = stored(config, clock, create);
        if (config.audit().isPresent()) {
            // Directly over the store as stored (beneath encryption): the log records the bytes the bucket holds.
            LoggingObjectStore logged = new LoggingObjectStore(
                    store,
                    new LogAppender(store),
                    clock,
                    LoggingObjectStore.thisProcess(),
                    new LogIntents(config.workDir().resolve(LOG_INTENTS)));
            try {
                logged.recover().forEach(done -> LOG.info("repository log: {}", done));
            } catch (IOException | RuntimeException e) {
                store.close();
                throw e;
            }
            store = logged;
        }
        if (config.encryption().isEmpty()) {
            return EncryptedObjects.keyless(store);
        }
        return encrypting(store, config.encryption().get(), config.workDir());
    }

    /**
     * Refuses to run with {@code retention.object-lock} on a bucket without Object Lock: every locked put would fail.
     */
    public static void requireObjectLock(VigilConfig config, ObjectStore store) throws ConfigException, IOException {
        if (!config.retention().objectLock()) {
            return;
        }
        ObjectLockStatus status = store.objectLock();
        if (!status.enabled()) {
            throw new ConfigException(
                    "configuration",
                    List.of("retention.object-lock: " + status.description()
                            + "; create the bucket with Object Lock enabled (aws s3api create-bucket ..."
                            + " --object-lock-enabled-for-bucket, or mc mb --with-lock), or set retention.object-lock:"
                            + " false"));
        }
    }

    /**
     * What seals this repository's compliance reports: with {@code audit.signing-key} set, the log's report seals over
     * the repository as stored (opened now; {@code owner} takes it and closes it); else nothing (reports are not
     * sealed).
     */
    public static Optional<ReportSealer> sealer(VigilConfig config, Clock clock, Consumer<AutoCloseable> owner)
            throws IOException {
        Optional<AuditConfig> audit = config.audit().filter(a -> a.signingKey().isPresent());
        if (audit.isEmpty()) {
            return Optional.empty();
        }
        NoteKeys.Signer signer = SigningKeyFile.load(audit.get().signingKey().orElseThrow());
        ObjectStore stored = stored(config, clock, false);
        owner.accept(stored);
        Witness witness = witness(config, clock);
        owner.accept(witness);
        return Optional.of(new ReportSeals(
                stored,
                signer,
                new Checkpointer(stored, signer, audit.get().origin(), clock, Optional.empty(), witness.store())));
    }

    /** The witness of the log's checkpoints ({@code audit.witness}), open while this is; empty without one. */
    public record Witness(Optional<ObjectStore> store) implements AutoCloseable {

        /** {@code auditor}, also reading the witness's checkpoints when there is one. */
        public Auditor of(Auditor auditor) {
            return store.map(auditor::withWitness).orElse(auditor);
        }

        @Override
        public void close() throws IOException {
            if (store.isPresent()) {
                store.get().close();
            }
        }
    }

    /** Opens the witness of {@code config}'s log ({@code audit.witness}), or none. */
    public static Witness witness(VigilConfig config, Clock clock) throws IOException {
        Optional<RepositoryLocation> location = config.audit().flatMap(AuditConfig::witness);
        return new Witness(location.isEmpty() ? Optional.empty() : Optional.of(open(location.get(), clock)));
    }

    /**
     * Which acknowledgements count in this repository's reports: with {@code audit.operator-keys} set, only those
     * signed by one of them; else every one, as the claim it is.
     */
    public static AcknowledgementCheck acknowledgementCheck(VigilConfig config) {
        List<String> keys = config.audit().map(AuditConfig::operatorKeys).orElse(List.of());
        return keys.isEmpty()
                ? AcknowledgementCheck.UNCHECKED
                : new AcknowledgementSignatures(
                        keys.stream().map(NoteKeys::parseVerifier).toList());
    }

    /**
     * The repository as stored: no encryption, nothing logged (Object Lock as configured). What the audit reads, and
     * what the log's entries are written to.
     */
    public static ObjectStore stored(VigilConfig config, Clock clock, boolean create) throws IOException {
        if (!create
                && config.repository() instanceof RepositoryLocation.Local local
                && !Files.isDirectory(local.root())) {
            throw new NoSuchRepositoryException("the repository " + local.root().toUri() + " does not exist: check"
                    + " repository.url (a node agent creates it when it first archives: 'vigil daemon' or 'vigil"
                    + " archive'); nothing was created");
        }
        ObjectStore store = switch (config.repository()) {
            case RepositoryLocation.Local local -> ObjectStores.localDirectory(local.root(), clock);
            case RepositoryLocation.S3 s3 ->
                S3Stores.open(s3.settings(), Optional.of(config.workDir().resolve(S3_PROBE_FILE)), clock);
        };
        RetentionConfig retention = config.retention();
        if (retention.objectLock()) {
            store = ObjectStores.locking(
                    store,
                    retention.lockMode(),
                    retention.window().plus(retention.lockMargin()),
                    RepositoryLayout::lockable,
                    clock);
        }
        return store;
    }

    /**
     * {@code store} with every object written encrypted and every encrypted object read decrypted, under the keys of
     * {@code encryption}'s keyring (read again now: a rotation since the configuration was loaded is used).
     */
    public static ObjectStore encrypting(ObjectStore store, EncryptionConfig encryption, Path workDir)
            throws IOException {
        try {
            KeyEncryptionKeys keys;
            if (encryption.keyring().isPresent()) {
                Path file = encryption.keyring().get();
                keys = new KeyringKeys(Keyring.load(file), file, new SecureRandom());
            } else {
                keys = KmsKeys.open(
                        encryption.kmsKeyId().orElseThrow(), encryption.kmsRegion(), encryption.kmsEndpoint());
            }
            Path scratch = workDir.resolve(ENCRYPTION_SCRATCH);
            EncryptingObjectStore.sweepScratch(scratch)
                    .forEach(removed -> LOG.info("removed {}, left by a process that died while uploading", removed));
            return new EncryptingObjectStore(store, keys, encryption.repositoryId(), scratch);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Where, under the work directory, puts and deletes wait to be logged (audit:). */
    public static final String LOG_INTENTS = "state/log-intents";

    /** Where, under the work directory, bodies too large for memory are encrypted before upload. */
    public static final String ENCRYPTION_SCRATCH = "scratch/encrypting";

    public static ObjectStore open(RepositoryLocation location, Clock clock) throws IOException {
        return switch (location) {
            case RepositoryLocation.Local local -> ObjectStores.localDirectory(local.root(), clock);
            case RepositoryLocation.S3 s3 -> S3Stores.open(s3.settings(), clock);
        };
    }
}
