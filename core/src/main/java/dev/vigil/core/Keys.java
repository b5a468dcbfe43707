package dev.vigil.core;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** How keys are shown to people: printable ASCII as text, anything else as {@code 0x<hex>}. */
public final class Keys {

    private Keys() {}

    public static String printable(byte[] key) {
        for (byte b : key) {
            if (b < 0x20 || b > 0x7e) {
                return "0x" + HexFormat.of().formatHex(key);
            }
        }
        return new String(key, StandardCharsets.US_ASCII);
    }
}
