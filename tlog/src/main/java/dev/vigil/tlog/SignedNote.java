package dev.vigil.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note (c2sp.org/signed-note): a text of one or more newline-terminated lines, a blank line, and one
 * signature line per signer, {@code — <name> <base64(key hash || signature)>} (an em dash), each an Ed25519
 * signature of the text's bytes. Opening a note checks every signature whose name and key hash match a verifier the
 * caller trusts; signatures by keys it does not know are kept but prove nothing. Immutable.
 *
 * @param text     the signed text, ending in a newline
 * @param verified the names of the trusted keys whose signatures verified
 */
public record SignedNote(String text, List<String> verified) {

    private static final String DASH = "\u2014 ";
    private static final int MAX_SIGNATURES = 100;

    public SignedNote {
        verified = List.copyOf(verified);
    }

    /** Why a note was not accepted: malformed, signed by no trusted key, or a trusted key's signature is wrong. */
    public static final class RejectedNoteException extends Exception {
        private static final long serialVersionUID = 1L;

        /** Why: the three call for different answers (bad input, cannot check, tampering). */
        public enum Reason {
            /** Not a signed note, or not one of the expected form. */
            MALFORMED,
            /** Well formed, but no trusted key signed it. */
            UNTRUSTED,
            /** A trusted key's signature does not verify: altered after signing, or forged. */
            FORGED
        }

        private final Reason reason;

        public RejectedNoteException(String message) {
            this(Reason.MALFORMED, message);
        }

        public RejectedNoteException(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** {@code text} signed by {@code signers}: the note's bytes as UTF-8. */
    public static String sign(String text, List<NoteKeys.Signer> signers) {
        requireText(text);
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder note = new StringBuilder(text).append('\n');
        for (NoteKeys.Signer signer : signers) {
            byte[] signature = signer.sign(message);
            byte[] blob = ByteBuffer.allocate(4 + signature.length)
                    .putInt(signer.keyHash())
                    .put(signature)
                    .array();
            note.append(DASH)
                    .append(signer.name())
                    .append(' ')
                    .append(Base64.getEncoder().encodeToString(blob))
                    .append('\n');
        }
        return note.toString();
    }

    /**
     * Opens {@code note}: its text, and which of {@code trusted} signed it.
     *
     * @throws RejectedNoteException when it is malformed, when no trusted key signed it, or when a signature by a
     *                               trusted key (same name and key hash) does not verify: each named
     */
    public static SignedNote open(String note, List<NoteKeys.Verifier> trusted) throws RejectedNoteException {
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new RejectedNoteException("malformed note: no blank line before the signatures");
        }
        String text = note.substring(0, split + 1);
        requireTextOrReject(text);
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        String[] lines = note.substring(split + 2).split("\n", -1);
        List<String> verified = new ArrayList<>();
        int signatures = 0;
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            if (!line.startsWith(DASH)) {
                throw new RejectedNoteException(
                        "malformed note: signature line " + (i + 1) + " does not start with '— '");
            }
            if (++signatures > MAX_SIGNATURES) {
                throw new RejectedNoteException("malformed note: more than " + MAX_SIGNATURES + " signatures");
            }
            int space = line.indexOf(' ', DASH.length());
            if (space < 0) {
                throw new RejectedNoteException("malformed note: signature line " + (i + 1) + " has no signature");
            }
            String name = line.substring(DASH.length(), space);
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(line.substring(space + 1));
            } catch (IllegalArgumentException e) {
                throw new RejectedNoteException("malformed note: the signature of " + name + " is not base64");
            }
            if (blob.length < 5) {
                throw new RejectedNoteException("malformed note: the signature of " + name + " is too short");
            }
            int keyHash = ByteBuffer.wrap(blob, 0, 4).getInt();
            byte[] signature = java.util.Arrays.copyOfRange(blob, 4, blob.length);
            for (NoteKeys.Verifier verifier : trusted) {
                if (verifier.name().equals(name) && verifier.keyHash() == keyHash) {
                    if (!verifier.verify(message, signature)) {
                        throw new RejectedNoteException(
                                RejectedNoteException.Reason.FORGED,
                                "the signature of " + name + "+" + NoteKeys.hex(keyHash)
                                        + " does not verify: the note was altered after it was signed, or forged");
                    }
                    if (!verified.contains(name)) {
                        verified.add(name);
                    }
                }
            }
        }
        if (!lines[lines.length - 1].isEmpty()) {
            throw new RejectedNoteException("malformed note: it does not end with a newline");
        }
        if (verified.isEmpty()) {
            throw new RejectedNoteException(
                    RejectedNoteException.Reason.UNTRUSTED,
                    "no trusted key signed this note (trusted: "
                            + trusted.stream().map(NoteKeys.Verifier::encode).toList() + ")");
        }
        return new SignedNote(text, verified);
    }

    private static void requireText(String text) {
        try {
            requireTextOrReject(text);
        } catch (RejectedNoteException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void requireTextOrReject(String text) throws RejectedNoteException {
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw new RejectedNoteException("a note's text is non-empty and ends in a newline");
        }
        if (text.contains("\n\n")) {
            throw new RejectedNoteException("a note's text has no blank line");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw new RejectedNoteException(
                        "a note's text has no control characters (found U+" + String.format("%04X", (int) c) + ")");
            }
        }
    }
}
