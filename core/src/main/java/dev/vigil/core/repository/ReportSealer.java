package dev.vigil.core.repository;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Seals a compliance report just stored in the repository, so that a stranger can check it offline: the seal signs
 * the report's forms as rendered and proves that the evidence it cites is in the repository's tamper-evident log at a
 * signed checkpoint. Implemented by the log (module {@code audit}); a repository without a signing key has none.
 * Implementations are thread safe.
 */
public interface ReportSealer {

    /**
     * The seal of report {@code reportId} (covering the period from {@code periodStart}), whose {@code forms} (by file
     * extension: html, json, parquet; their bytes as rendered) were just stored under {@code storedKeys}: a document
     * to store beside the report ({@code <id>.seal.json}).
     *
     * @throws IOException when the log cannot be read or the checkpoint not stored: the report stays unsealed (said)
     */
    byte[] seal(String reportId, Instant periodStart, Map<String, byte[]> forms, List<String> storedKeys)
            throws IOException;

    /** The extension of a seal document beside its report. */
    String EXTENSION = "seal.json";
}
