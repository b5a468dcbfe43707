package dev.vigil.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed notes and checkpoints interoperate with the reference implementation: the example key and note of
 * {@code golang.org/x/mod/sumdb/note} (published with its tests) verify here, and signing its text with its key
 * reproduces its signature byte for byte (Ed25519 is deterministic). A forged, altered or unknown signature is refused
 * by name.
 */
class SignedNoteTest {

    private static final String VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String TEXT = """
            If you think cryptography is the answer to your problem,
            then you don't know what your problem is.
            """;
    private static final String NOTE = TEXT + "\n"
            + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void theReferenceImplementationsNoteVerifiesAndIsReproducedByteForByte() throws Exception {
        NoteKeys.Verifier verifier = NoteKeys.parseVerifier(VKEY);
        NoteKeys.Signer signer = NoteKeys.parseSigner(SKEY);

        assertThat(SignedNote.open(NOTE, List.of(verifier)).text()).isEqualTo(TEXT);
        assertThat(signer.verifier()).isEqualTo(verifier);
        assertThat(signer.verifier().encode()).isEqualTo(VKEY);
        assertThat(SignedNote.sign(TEXT, List.of(signer))).isEqualTo(NOTE);
        assertThat(signer.toString()).doesNotContain("AYEKFALV");
    }

    @Test
    void anAlteredForgedOrUnknownSignatureIsRefusedByName() {
        NoteKeys.Verifier verifier = NoteKeys.parseVerifier(VKEY);
        NoteKeys.Signer other = NoteKeys.generate("PeterNeumann", new SecureRandom());

        assertThatThrownBy(() -> SignedNote.open(NOTE.replace("cryptography", "cryptographY"), List.of(verifier)))
                .isInstanceOf(SignedNote.RejectedNoteException.class)
                .hasMessageContaining("PeterNeumann+c74f20a3 does not verify")
                .extracting(e -> ((SignedNote.RejectedNoteException) e).reason())
                .isEqualTo(SignedNote.RejectedNoteException.Reason.FORGED);
        assertThatThrownBy(() -> SignedNote.open(SignedNote.sign(TEXT, List.of(other)), List.of(verifier)))
                .as("same name, another key: its hash differs, so nothing trusted signed it")
                .hasMessageContaining("no trusted key signed this note")
                .extracting(e -> ((SignedNote.RejectedNoteException) e).reason())
                .isEqualTo(SignedNote.RejectedNoteException.Reason.UNTRUSTED);
        assertThatThrownBy(() -> SignedNote.open(TEXT, List.of(verifier)))
                .hasMessageContaining("malformed note")
                .extracting(e -> ((SignedNote.RejectedNoteException) e).reason())
                .isEqualTo(SignedNote.RejectedNoteException.Reason.MALFORMED);
        assertThatThrownBy(() -> NoteKeys.parseVerifier(VKEY.replace("c74f20a3", "c74f20a4")))
                .hasMessageContaining("does not match");
    }

    @Test
    void aCheckpointRoundTripsThroughASignedNote() throws Exception {
        NoteKeys.Signer signer = NoteKeys.generate("vigil.example/repo-1", new SecureRandom());
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < 5; i++) {
            tree.append(MerkleHashes.leaf(new byte[] {(byte) i}));
        }
        Checkpoint checkpoint =
                new Checkpoint("vigil.example/repo-1", 5, tree.root(5), List.of("time 2026-12-07T08:00:00Z"));

        String note = SignedNote.sign(checkpoint.body(), List.of(signer));
        SignedNote opened = SignedNote.open(note, List.of(signer.verifier()));

        assertThat(Checkpoint.parse(opened.text())).isEqualTo(checkpoint);
        assertThat(opened.verified()).containsExactly("vigil.example/repo-1");
        assertThat(note).startsWith("vigil.example/repo-1\n5\n");
        assertThatThrownBy(() -> Checkpoint.parse("origin\n05\nAAAA\n")).hasMessageContaining("leading zeros");
    }
}
