package dev.vigil.demoapp;

import dev.vigil.audit.AuditFinding;
import dev.vigil.audit.Auditor;
import dev.vigil.audit.Checkpointer;
import dev.vigil.audit.SealVerifier;
import dev.vigil.audit.SigningKeyFile;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.config.Repositories;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.repository.ReportSealer;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.store.PutRequest;
import dev.vigil.tlog.Checkpoint;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The demo's tamper-evident log: a checkpoint signing key created under the demo's directory, the {@code audit:}
 * section every process shares (so every put and delete is logged, and every checkpoint copied to a witness
 * directory), and the last step: a checkpoint signed, the repository audited against its log on the public key alone,
 * then a forger's consistent rewrite of an archived segment and a planted object, made behind the log's back, each
 * named by the next audit.
 *
 * @param section the {@code audit:} section, top level, ending in a newline
 * @param signer  the checkpoint signing key
 */
record DemoAudit(String section, NoteKeys.Signer signer) {

    static final String ORIGIN = "vigil-demo/log";

    /** A signing key under {@code directory}; every checkpoint is also copied to {@code witness} (created). */
    static DemoAudit create(Path directory, Path witness) throws IOException {
        Path key = directory.resolve("log-signing.key");
        NoteKeys.Signer signer = SigningKeyFile.create(key, ORIGIN, new SecureRandom());
        Files.createDirectories(witness);
        return new DemoAudit(
                "audit:\n  origin: " + ORIGIN + "\n  signing-key: " + key + "\n  grace: 1m\n  witness:\n    url: "
                        + witness.toUri() + "\n",
                signer);
    }

    /** The step: true when the clean repository audits clean and both forgeries are named. */
    boolean run(PrintWriter out, Path config, Path report, Clock clock) throws IOException, ConfigException {
        VigilConfig loaded = ConfigLoader.load(config);
        out.println("7. Tamper evidence: every put and delete of every daemon was also appended to a Merkle log kept in"
                + " the repository (log/), and its root is signed now with a key kept outside it.");
        try (Repositories.Witness witness = Repositories.witness(loaded, clock);
                ObjectStore stored = Repositories.stored(loaded, clock, false)) {
            Checkpoint checkpoint =
                    new Checkpointer(stored, signer, ORIGIN, clock, Optional.empty(), witness.store()).checkpoint();
            // The daemons still run: an object stored a moment ago and not yet logged is pending, not inserted.
            Auditor.Report clean = witness.of(
                            new Auditor(stored, List.of(signer.verifier()), Duration.ofMinutes(1), clock))
                    .audit();
            out.printf(
                    "   Checkpoint signed at %,d entries, and copied to a witness (%s; in production a location the"
                            + " bucket's writers cannot change). The audit, with the public key alone, checked %,d signed"
                            + " checkpoint(s) and compared %,d objects: %s%n",
                    checkpoint.size(),
                    witness.store().map(ObjectStore::describe).orElse("none"),
                    clean.checkpoints(),
                    clean.objects(),
                    clean.clean() ? "the repository is what its log says." : "NOT clean: " + clean.findings());
            String victim = oldestSegment(stored);
            forge(stored, victim);
            byte[] planted = "records nobody wrote".getBytes(StandardCharsets.UTF_8);
            String plantedKey = "partitions/" + Demo.PARTITION + "/wal/planted.seg";
            stored.put(PutRequest.overwrite(
                    plantedKey, ObjectBody.ofBytes(planted), Checksum.of(ChecksumAlgorithm.CRC32C, planted), Map.of()));
            out.println("   A forger with write access to the bucket rewrites " + victim + " with a valid checksum, and"
                    + " plants " + plantedKey + ", neither through Vigil.");
            // No grace now: the planted object is unlogged and counts as inserted at once; a daemon's object stored
            // while the audit runs is logged before the audit has read the others, and the audit catches up with it.
            Auditor.Report tampered = witness.of(new Auditor(stored, List.of(signer.verifier()), Duration.ZERO, clock))
                    .audit();
            List<String> named = new ArrayList<>();
            for (AuditFinding finding : tampered.findings()) {
                if (finding.tampering()) {
                    out.println("     " + finding.kind() + "  " + finding.subject()
                            + finding.entry().stream()
                                    .mapToObj(e ->
                                            " (contradicts log entry " + e + ", logged " + finding.loggedAt() + ")")
                                    .findFirst()
                                    .orElse(""));
                    named.add(finding.kind() + " " + finding.subject());
                }
            }
            boolean sealed = sealVerified(out, report);
            boolean found = clean.clean()
                    && named.contains("ALTERED " + victim)
                    && named.contains("INSERTED " + plantedKey)
                    && sealed;
            out.println(
                    found
                            ? "   Found: both named, with the log entry each contradicts; the report checks out offline."
                            : "   NOT SEEN: the forged segment and the planted object named by the audit, and the"
                                    + " report's seal verified.");
            out.println("   An auditor checks it all with:");
            out.println("     ./vigil audit key --config " + config + "   (prints the public key, KEY)");
            out.println("     ./vigil audit verify " + report + " --public-key '"
                    + signer.verifier().encode() + "'   (offline: no repository, no configuration)");
            out.println("     ./vigil audit --config <a configuration with audit.public-keys: [KEY]>   (the whole"
                    + " repository against its log)");
            return found;
        }
    }

    /** Checks the sealed report of step 6 as an auditor would: its files, its seal and the public key alone. */
    private boolean sealVerified(PrintWriter out, Path report) throws IOException {
        String id = String.valueOf(report.getFileName()).replace(".json", "");
        Map<String, byte[]> files = new TreeMap<>();
        for (String form : List.of("html", "json", "parquet")) {
            files.put(form, Files.readAllBytes(report.resolveSibling(id + "." + form)));
        }
        byte[] seal = Files.readAllBytes(report.resolveSibling(id + "." + ReportSealer.EXTENSION));
        SealVerifier.Result result = SealVerifier.verify(seal, files, List.of(signer.verifier()));
        out.println("   The report of step 6 was sealed when it was stored: " + id + "." + ReportSealer.EXTENSION
                + " signs its three files and proves the evidence it cites in the log, at a checkpoint signed"
                + " then. Checked offline with the public key alone: " + result.outcome() + " "
                + result.evidence() + (result.problems().isEmpty() ? "" : " " + result.problems()));
        return result.outcome() == SealVerifier.Outcome.VERIFIED;
    }

    private static String oldestSegment(ObjectStore stored) throws IOException {
        for (Iterator<ObjectSummary> it = stored.listAll("partitions/" + Demo.PARTITION + "/wal/"); it.hasNext(); ) {
            ObjectSummary object = it.next();
            if (object.key().endsWith(".seg")) {
                return object.key();
            }
        }
        throw new IOException("the demo's repository holds no archived segment");
    }

    /** Flips one stored byte of {@code key} and stores it again with a matching checksum and the same metadata. */
    private static void forge(ObjectStore stored, String key) throws IOException {
        byte[] bytes;
        Map<String, String> metadata;
        try (ObjectStream in = stored.get(key)) {
            bytes = in.readAllBytes();
            metadata = in.info().metadata();
        }
        bytes[bytes.length / 2] ^= 0x04;
        stored.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), metadata));
    }
}
