package dev.vigil.core.repository;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether an operator's acknowledgement counts in a report, from its signature: implemented where the operator
 * keys are known (the audit module, {@code audit.operator-keys}) and given to the report builder by the composition
 * root. Without operator keys ({@link #UNCHECKED}) every acknowledgement counts as the claim it always was, its
 * signature (if any) not checked. Implementations are thread safe.
 */
@FunctionalInterface
public interface AcknowledgementCheck {

    /**
     * What a check found.
     *
     * @param counts   whether the acknowledgement explains its finding in a report
     * @param signedBy the signing key ({@code name+hash}) its signature names, or {@code null} when unsigned
     * @param verified whether that signature was verified with a trusted operator key
     * @param refusal  why it does not count (names the signer and what is wrong), or {@code null} when it counts
     * @param forged   refused because a trusted key's signature does not verify: a field changed after signing, or
     *                 the signature forged (evidence of tampering, not merely an unsigned claim)
     */
    record Outcome(
            boolean counts,
            @Nullable String signedBy,
            boolean verified,
            @Nullable String refusal,
            boolean forged) {

        public static Outcome counted(@Nullable String signedBy, boolean verified) {
            return new Outcome(true, signedBy, verified, null, false);
        }

        public static Outcome refused(@Nullable String signedBy, String refusal) {
            return new Outcome(false, signedBy, false, refusal, false);
        }

        public static Outcome forged(@Nullable String signedBy, String refusal) {
            return new Outcome(false, signedBy, false, refusal, true);
        }
    }

    /** Every acknowledgement counts; none is verified. */
    AcknowledgementCheck UNCHECKED = ack -> Outcome.counted(signer(ack).orElse(null), false);

    Outcome check(Acknowledgement acknowledgement);

    /**
     * The key its signature names, {@code name+hash} (hash: the key's 4-byte hash in hex, as {@code vigil audit key}
     * prints it), read from the first signature line ({@code — name base64}) without checking it; empty when unsigned
     * or when the line is not a signature line.
     */
    static Optional<String> signer(Acknowledgement acknowledgement) {
        String signature = acknowledgement.signature();
        if (signature == null) {
            return Optional.empty();
        }
        String line = signature.strip().lines().findFirst().orElse("");
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !parts[0].equals("\u2014")) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(parts[2]);
            return bytes.length < 4
                    ? Optional.empty()
                    : Optional.of(parts[1] + "+" + HexFormat.of().formatHex(bytes, 0, 4));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
