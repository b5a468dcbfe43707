package dev.vigil.core.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemFrameTest {

    /** A part as RocksDB's iterator hands it over, recording the room it was offered each time. */
    private static final class Part implements ItemFrame.PartReader {
        private final byte[] bytes;
        private final List<Integer> offered = new ArrayList<>();

        Part(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(byte[] into, int offset, int room) {
            offered.add(room);
            System.arraycopy(bytes, 0, into, offset, Math.min(room, bytes.length));
            return bytes.length;
        }
    }

    private static byte[] filled(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    @Test
    void holdsTheItemInTheFramingItsHashCovers() {
        byte[] key = "user:42".getBytes(StandardCharsets.US_ASCII);
        byte[] value = filled(10, 3);
        ItemFrame frame = new ItemFrame(64);
        frame.readKey(new Part(key));
        frame.readValue(new Part(value));

        byte[] expected = new byte[4 + key.length + value.length];
        expected[3] = (byte) key.length;
        System.arraycopy(key, 0, expected, 4, key.length);
        System.arraycopy(value, 0, expected, 4 + key.length, value.length);
        assertThat(Arrays.copyOf(frame.array(), frame.length())).isEqualTo(expected);
        assertThat(frame.keyLength()).isEqualTo(7);
        assertThat(frame.valueLength()).isEqualTo(10);
        assertThat(frame.valueOffset()).isEqualTo(11);
        assertThat(frame.keyEquals(key)).isTrue();
        assertThat(frame.keyEquals("user:4".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();

        ItemHasher hasher = new ItemHasher(DigestAlgorithm.XXH128, 8);
        long[] framed = new long[2];
        long[] direct = new long[2];
        hasher.hash(frame, framed);
        hasher.hash(key, value, direct);
        assertThat(framed).isEqualTo(direct);
        assertThat(ItemHasher.keyHash(frame)).isEqualTo(ItemHasher.keyHash(key));
    }

    @Test
    void aPartLargerThanTheRoomIsReadAgainIntoAGrownFrameKeepingTheKey() {
        ItemFrame frame = new ItemFrame(16);
        byte[] key = filled(40, 1);
        byte[] value = filled(5_000, 2);
        Part keyPart = new Part(key);
        Part valuePart = new Part(value);
        frame.readKey(keyPart);
        frame.readValue(valuePart);

        assertThat(keyPart.offered).hasSize(2);
        assertThat(keyPart.offered.get(1)).isGreaterThanOrEqualTo(40);
        assertThat(valuePart.offered).hasSize(2);
        assertThat(frame.key()).isEqualTo(key);
        assertThat(frame.value()).isEqualTo(value);

        // The grown frame is kept: the next item of the same size is copied once.
        Part again = new Part(value);
        frame.readKey(new Part(key));
        frame.readValue(again);
        assertThat(again.offered).hasSize(1);
        assertThat(frame.value()).isEqualTo(value);
    }

    @Test
    void aNewKeyStartsAnItemWithoutAValueAndCopiesAreTheirOwn() {
        ItemFrame frame = new ItemFrame(32);
        frame.set(filled(3, 1), filled(8, 2));
        byte[] value = frame.value();
        frame.readKey(new Part(filled(5, 9)));

        assertThat(frame.valueLength()).isZero();
        assertThat(frame.length()).isEqualTo(4 + 5);
        assertThat(value).isEqualTo(filled(8, 2));
    }

    @Test
    void aNegativeLengthIsRefused() {
        ItemFrame frame = new ItemFrame(8);
        assertThatThrownBy(() -> frame.readKey((into, offset, room) -> -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative length -1");
    }

    @Test
    void anItemTooLargeToHashIsRefusedBeforeAnythingIsAllocated() {
        ItemFrame frame = new ItemFrame(8);
        frame.readKey(new Part(filled(10, 1)));
        assertThatThrownBy(() -> frame.readValue((into, offset, room) -> Integer.MAX_VALUE - 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("larger than Vigil can hash");
        assertThat(frame.array().length).isLessThan(1024);
    }
}
