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
import java.util.List;
import java.util.Optional;

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
     * What a check found.
     *
     * @param configured whether the repository is encrypted here (else nothing was checked)
     * @param objects    objects checked
     * @param problems   objects that do not open
     * @param keyIds     the key ids they name, or "(header damaged)"; empty when there is no problem
     * @param named      the first {@value #NAMED} of them
     * @param summary    one line for the log, {@code /health} and {@code check-config --connect}
     */
    public record Outcome(
            boolean configured, int objects, int problems, String keyIds, List<String> named, String summary) {

        public Outcome {
            named = List.copyOf(named);
        }
    }

    /** Checks every object and says what it found; raises nothing. */
    public Outcome check() throws IOException {
        if (store.isEmpty()) {
            return new Outcome(false, 0, 0, "", List.of(), "encryption is not configured: no keys to check");
        }
        KeyAudit.Result audit = KeyAudit.run(store.get());
        if (audit.problems().isEmpty()) {
            return new Outcome(
                    true,
                    audit.objects(),
                    0,
                    "",
                    List.of(),
                    audit.objects() + " object(s) checked; every encrypted one opens (objects per key: " + audit.byKey()
                            + ")");
        }
        String keyIds = audit.problemKeyIds().isEmpty() ? "(header damaged)" : String.join(", ", audit.problemKeyIds());
        return new Outcome(
                true,
                audit.objects(),
                audit.problems().size(),
                keyIds,
                audit.problems().stream().limit(NAMED).map(KeyCheck::key).toList(),
                audit.problems().size() + " of " + audit.objects() + " object(s) do not open (key " + keyIds + ")");
    }

    /** Checks every object, and raises {@code KEYS_UNAVAILABLE} or resolves it. */
    public Outcome run() throws IOException {
        Outcome outcome = check();
        if (!outcome.configured()) {
            return outcome;
        }
        EncryptingObjectStore encrypted = store.orElseThrow();
        if (outcome.problems() == 0) {
            alerts.resolve(AlertResolution.of(
                    AlertType.KEYS_UNAVAILABLE,
                    clock.instant(),
                    "every one of " + outcome.objects() + " object(s) opens with " + encrypted.describeKeys()));
            return outcome;
        }
        alerts.raise(Alert.of(AlertType.KEYS_UNAVAILABLE, clock.instant())
                .message(outcome.problems() + " object(s) in " + encrypted.describe() + " cannot be decrypted with "
                        + encrypted.describeKeys() + " (key " + outcome.keyIds() + "): "
                        + String.join(", ", outcome.named()) + (outcome.problems() > NAMED ? ", …" : ""))
                .action("put the key(s) back into the keyring from its backup (or re-enable the KMS key); 'vigil keys"
                        + " check' names every such object; until then, restores and drills that need them fail")
                .detail("keys", outcome.keyIds())
                .detail("objects", Integer.toString(outcome.problems()))
                .build());
        return outcome;
    }
}
