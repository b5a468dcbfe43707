package dev.vigil.tlog;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Ed25519 keys of C2SP signed notes, from the JDK: a signer from its 32-byte seed, a verifier from its public key, each
 * with a name and the 4-byte key hash (the first bytes of SHA-256 of the name, a newline, the algorithm byte and the
 * public key) that signatures carry. Their text forms are those of the reference implementation
 * ({@code golang.org/x/mod/sumdb/note}): a verifier key {@code <name>+<hash hex>+<base64(0x01 || public key)>}, a signer
 * key {@code PRIVATE+KEY+<name>+<hash hex>+<base64(0x01 || seed)>}. Immutable.
 */
public final class NoteKeys {

    static final byte ALG_ED25519 = 1;
    private static final Pattern NAME = Pattern.compile("[^\\s+]+");
    /** X.509 SubjectPublicKeyInfo of an Ed25519 key, up to the key's 32 bytes. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private NoteKeys() {}

    /** Who signs: a name, the key hash, the private key. */
    public record Signer(String name, int keyHash, PrivateKey key, byte[] publicKey) {

        public Signer {
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        /** The Ed25519 signature of {@code message}. */
        byte[] sign(byte[] message) {
            try {
                Signature signature = Signature.getInstance("Ed25519");
                signature.initSign(key);
                signature.update(message);
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing failed: " + e, e);
            }
        }

        /** The matching verifier. */
        public Verifier verifier() {
            return NoteKeys.verifier(name, publicKey);
        }

        @Override
        public String toString() {
            return "Signer[" + name + "+" + hex(keyHash) + "]"; // never the key
        }
    }

    /** Who can check: a name, the key hash, the public key. */
    public record Verifier(String name, int keyHash, byte[] publicKey) {

        public Verifier {
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
        boolean verify(byte[] message, byte[] signature) {
            try {
                PublicKey key = KeyFactory.getInstance("Ed25519")
                        .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, publicKey)));
                Signature check = Signature.getInstance("Ed25519");
                check.initVerify(key);
                check.update(message);
                return check.verify(signature);
            } catch (GeneralSecurityException e) {
                return false; // a malformed key or signature verifies nothing
            }
        }

        /** {@code <name>+<hash hex>+<base64(0x01 || public key)>}. */
        public String encode() {
            return name + "+" + hex(keyHash) + "+"
                    + Base64.getEncoder().encodeToString(concat(new byte[] {ALG_ED25519}, publicKey));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Verifier v
                    && v.name.equals(name)
                    && v.keyHash == keyHash
                    && Arrays.equals(v.publicKey, publicKey);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + keyHash;
        }

        @Override
        public String toString() {
            return encode();
        }
    }

    /** A fresh key named {@code name}. */
    public static Signer generate(String name, SecureRandom random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return signer(name, seed);
    }

    /** The signer whose Ed25519 seed is {@code seed} (32 bytes). */
    public static Signer signer(String name, byte[] seed) {
        requireName(name);
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
        }
        try {
            // The JDK derives an Ed25519 key pair from the 32 bytes its random source gives: give it the seed.
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            byte[] publicKey = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            return new Signer(name, keyHash(name, publicKey), pair.getPrivate(), publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK: " + e, e);
        }
    }

    /** The verifier of {@code name} with the raw 32-byte Ed25519 {@code publicKey}. */
    public static Verifier verifier(String name, byte[] publicKey) {
        requireName(name);
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + publicKey.length);
        }
        return new Verifier(name, keyHash(name, publicKey), publicKey);
    }

    /**
     * Parses a verifier key {@code <name>+<hash hex>+<base64(0x01 || public key)>}.
     *
     * @throws IllegalArgumentException naming what is wrong (the hash must match the name and key)
     */
    public static Verifier parseVerifier(String text) {
        int first = text.indexOf('+');
        int second = first < 0 ? -1 : text.indexOf('+', first + 1);
        if (first <= 0 || second < 0) {
            throw new IllegalArgumentException("not a verifier key (name+hash+key): " + text);
        }
        String name = text.substring(0, first);
        String hash = text.substring(first + 1, second);
        byte[] key = decodeKey(text.substring(second + 1), "verifier key");
        if (!hash.matches("[0-9a-f]{8}") || key.length != 33 || key[0] != ALG_ED25519) {
            throw new IllegalArgumentException("not an Ed25519 verifier key: " + text);
        }
        Verifier verifier = verifier(name, Arrays.copyOfRange(key, 1, key.length));
        if (verifier.keyHash() != (int) Long.parseLong(hash, 16)) {
            throw new IllegalArgumentException("the key hash " + hash + " does not match the name and key: " + text);
        }
        return verifier;
    }

    /** Parses a signer key {@code PRIVATE+KEY+<name>+<hash hex>+<base64(0x01 || seed)>}. */
    public static Signer parseSigner(String text) {
        String prefix = "PRIVATE+KEY+";
        if (!text.startsWith(prefix)) {
            throw new IllegalArgumentException("not a signer key (it starts PRIVATE+KEY+)");
        }
        String rest = text.substring(prefix.length());
        int first = rest.indexOf('+');
        int second = first < 0 ? -1 : rest.indexOf('+', first + 1);
        if (first <= 0 || second < 0) {
            throw new IllegalArgumentException("not a signer key (PRIVATE+KEY+name+hash+key)");
        }
        String name = rest.substring(0, first);
        String hash = rest.substring(first + 1, second);
        byte[] key = decodeKey(rest.substring(second + 1), "signer key");
        if (!hash.matches("[0-9a-f]{8}") || key.length != 33 || key[0] != ALG_ED25519) {
            throw new IllegalArgumentException("not an Ed25519 signer key named " + name);
        }
        Signer signer = signer(name, Arrays.copyOfRange(key, 1, key.length));
        if (signer.keyHash() != (int) Long.parseLong(hash, 16)) {
            throw new IllegalArgumentException("the signer key of " + name + " does not match its key hash " + hash);
        }
        return signer;
    }

    /** The 4-byte key hash, big-endian. */
    static int keyHash(String name, byte[] publicKey) {
        MessageDigest digest = MerkleHashes.sha256();
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(ALG_ED25519);
        digest.update(publicKey);
        return ByteBuffer.wrap(digest.digest()).getInt();
    }

    static void requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a key name is non-empty, without spaces or '+': '" + name + "'");
        }
    }

    static String hex(int keyHash) {
        return String.format(
                "%08x", new BigInteger(1, ByteBuffer.allocate(4).putInt(keyHash).array()));
    }

    private static byte[] decodeKey(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + "'s key is not base64", e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A random source that gives the seed it was made with: how the JDK is made to derive a key from a seed. */
    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("asked for " + out.length + " bytes, holds " + bytes.length);
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
