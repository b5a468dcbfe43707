package dev.vigil.cli;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.KeyAudit;
import dev.vigil.encryption.KeyCheck;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The key check on {@code schedule.key-check}: every object of an encrypted repository must open with the keys
 * configured now ({@link KeyAudit}); objects that do not raise {@code KEYS_UNAVAILABLE} naming the key ids and the first
 * objects, resolved by the first check that finds every object opening. A key dropped from the keyring, or disabled in
 * KMS, is found here within a day, not at the restore that needs it. Without {@code encryption:} there is nothing to
 * check. Thread safe if the store is.
 */
public final class ScheduledKeyCheck {

    /** How many objects an alert names. */
    static final int NAMED = 10;

    private final Optional<EncryptingObjectStore> store;
    private final AlertPublisher alerts;
    private final Clock clock;

    public ScheduledKeyCheck(Optional<EncryptingObjectStore> store, AlertPublisher alerts, Clock clock) {
        this.store = store;
        this.alerts = alerts;
        this.clock = clock;
    }

    /**
     * What a run found.
     *
     * @param configured whether the repository is encrypted here (else nothing was checked)
     * @param objects    objects checked
     * @param problems   objects that do not open
     * @param summary    one line for the log and {@code /health}
     */
    public record Outcome(boolean configured, int objects, int problems, String summary) {}

    public Outcome run() throws IOException {
        if (store.isEmpty()) {
            return new Outcome(false, 0, 0, "encryption is not configured: no keys to check");
        }
        EncryptingObjectStore encrypted = store.get();
        KeyAudit.Result audit = KeyAudit.run(encrypted);
        if (audit.problems().isEmpty()) {
            alerts.resolve(AlertResolution.of(
                    AlertType.KEYS_UNAVAILABLE,
                    clock.instant(),
                    "every one of " + audit.objects() + " object(s) opens with " + encrypted.describeKeys()));
            return new Outcome(
                    true,
                    audit.objects(),
                    0,
                    audit.objects() + " object(s) checked; every encrypted one opens (" + audit.byKey() + ")");
        }
        String keyIds = audit.problemKeyIds().isEmpty() ? "(header damaged)" : String.join(", ", audit.problemKeyIds());
        String named = audit.problems().stream().limit(NAMED).map(KeyCheck::key).collect(Collectors.joining(", "));
        alerts.raise(Alert.of(AlertType.KEYS_UNAVAILABLE, clock.instant())
                .message(
                        audit.problems().size() + " object(s) in " + encrypted.describe() + " cannot be decrypted with "
                                + encrypted.describeKeys() + " (key " + keyIds + "): " + named
                                + (audit.problems().size() > NAMED ? ", …" : ""))
                .action("put the key(s) back into the keyring from its backup (or re-enable the KMS key); 'vigil keys"
                        + " check' names every such object; until then, restores and drills that need them fail")
                .detail("keys", keyIds)
                .detail("objects", Integer.toString(audit.problems().size()))
                .build());
        return new Outcome(
                true,
                audit.objects(),
                audit.problems().size(),
                audit.problems().size() + " of " + audit.objects() + " object(s) do not open (key " + keyIds + ")");
    }
}
