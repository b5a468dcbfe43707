package dev.vigil.demoapp;

import dev.vigil.encryption.Keyring;
import dev.vigil.report.ComplianceReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;

/**
 * The demo's encryption: a keyring with one key, created under the demo's directory (owner-only, as Vigil requires of
 * every keyring), and the {@code encryption:} section every process of the demo shares. Every object the demo's
 * daemons and workers store is sealed with its own data key wrapped by that key.
 *
 * @param section  the {@code encryption:} section, top level, ending in a newline
 * @param keyring  the keyring file
 * @param keyId    the active key's id
 */
record DemoKeys(String section, Path keyring, String keyId) {

    static final String KEY_ID = "demo-key-1";
    static final String REPOSITORY_ID = "vigil-demo";

    /** Creates the keyring under {@code directory} with a fresh random key. */
    static DemoKeys create(Path directory, Clock clock) throws IOException {
        Path file = directory.resolve("keyring.json");
        Keyring.create(KEY_ID, clock.instant(), new SecureRandom()).save(file);
        return new DemoKeys(
                "encryption:\n  keyring: " + file + "\n  repository-id: " + REPOSITORY_ID + "\n", file, KEY_ID);
    }

    /**
     * Whether {@code report} proves every object the demo stored encrypted under the demo's key; says so (or NOT SEEN).
     */
    static boolean proven(ComplianceReport report, PrintWriter out) {
        ComplianceReport.Encryption encryption = report.encryption();
        if (encryption == null
                || !encryption.required()
                || encryption.objects() == 0
                || encryption.plain() > 0
                || !encryption.byKey().keySet().equals(Set.of(KEY_ID))) {
            out.println("   NOT SEEN: every object of the demo encrypted under " + KEY_ID + ".");
            return false;
        }
        out.printf(
                "   Encrypted at rest: %d of the %d objects stored in the repository this hour, each under key %s; none"
                        + " in plaintext.%n",
                encryption.encrypted(), encryption.objects(), KEY_ID);
        return true;
    }

    /** What the demo says of it in its first step. */
    String describe() {
        return "   Encryption at rest: every object Vigil stores is sealed (AES-256-GCM, streaming) with a data key of its"
                + " own, wrapped by key " + keyId + " of the keyring " + keyring + " (readable by its owner only); the"
                + " repository never holds a plaintext record or key.";
    }
}
