package dev.vigil.audit;

import java.time.Instant;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What an audit found wrong, named: the object or log position, what was expected and what is there, and the entry
 * that says so with the time it was logged.
 *
 * @param kind     what kind of tampering (or damage) it shows
 * @param subject  the object key, or the log position ("log entry 17", "checkpoint at size 40")
 * @param detail   one sentence: what the log says and what the repository holds
 * @param entry    the log entry it is measured against, when there is one
 * @param loggedAt when that entry was logged
 */
public record AuditFinding(
        Kind kind,
        String subject,
        String detail,
        OptionalLong entry,
        @Nullable Instant loggedAt) {

    /** Kinds of findings. */
    public enum Kind {
        /** An object whose stored bytes differ from its latest entry. */
        ALTERED,
        /** An object in the repository that the log never recorded (or recorded as deleted), older than the grace. */
        INSERTED,
        /** An object the log recorded and never deleted, missing from the repository. */
        REMOVED,
        /** An object not yet logged, younger than the grace period: being written now, or its writer died. */
        PENDING,
        /** The log's entries are not numbered 0, 1, 2, …: an entry was removed, or one is malformed. */
        LOG_DAMAGED,
        /** A checkpoint's root is not the root of the log at its size: entries were rewritten since it was signed. */
        LOG_REWRITTEN,
        /** A checkpoint that no trusted key signed, or whose signature does not verify. */
        CHECKPOINT_FORGED,
        /** Two checkpoints of one log disagree (a fork), or a checkpoint is beyond the log's end. */
        LOG_FORKED
    }

    /** Whether it is evidence of tampering or loss (exit 1), not merely pending. */
    public boolean tampering() {
        return kind != Kind.PENDING;
    }

    @Override
    public String toString() {
        return kind + " " + subject + ": " + detail
                + (entry.isPresent()
                        ? " (entry " + entry.getAsLong() + (loggedAt == null ? "" : ", " + loggedAt) + ")"
                        : "");
    }
}
