package dev.vigil.report;

import org.jspecify.annotations.Nullable;

/**
 * The requirements a compliance report checks, one PASS/FAIL line each. Every reason a report gives belongs to
 * exactly one of them.
 */
enum Requirement {
    ARCHIVED_WITHOUT_GAPS("every partition archived, without gaps", null),
    ARCHIVE_LAG("archive lag never above", "archive.rpo"),
    VERIFIED_CLEAN("each replica verified clean within", "report.max-verification-age"),
    NO_OPEN_FINDINGS(
            "no open findings (an acknowledged one is shown with its explanations and counted as acknowledged)", null),
    RESTORE_DRILL("a restore drill passed within", "report.drill-every"),
    RESTORABLE_WINDOW("every point in time restorable for", "retention.window"),
    OBJECT_LOCK("archived objects under S3 Object Lock, when required", "retention.object-lock"),
    ENCRYPTED_AT_REST(
            "every object stored in the period encrypted at rest by Vigil (client-side), when configured",
            "encryption"),
    EVIDENCE_READABLE(
            "every piece of evidence in the repository readable (none damaged, none in a newer format)", null);

    private final String description;
    private final @Nullable String setting;

    Requirement(String description, @Nullable String setting) {
        this.description = description;
        this.setting = setting;
    }

    String description() {
        return description;
    }

    /** The configuration setting behind it, or null when it has none. */
    @Nullable
    String setting() {
        return setting;
    }
}
