package io.ticketchat.text;

/**
 * Checks on user text that every store can keep exactly: PostgreSQL rejects NUL in {@code TEXT}, and an
 * unpaired surrogate has no UTF-8 encoding, so neither can be stored and read back unchanged.
 */
public final class UnicodeText {
    private UnicodeText() {
    }

    /**
     * Returns whether {@code text} has at most {@code maxCodePoints} Unicode code points, and stops counting
     * once the result is decided.
     */
    public static boolean fitsCodePoints(String text, int maxCodePoints) {
        if (text.length() <= maxCodePoints) {
            return true;
        }
        // Each code point takes one or two chars, so more than twice the limit in chars is always too long.
        if (text.length() > 2L * maxCodePoints) {
            return false;
        }
        return text.codePointCount(0, text.length()) <= maxCodePoints;
    }

    /** Returns whether {@code text} contains no NUL character and no unpaired surrogate. */
    public static boolean isStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether {@code text} is empty or has only characters with the Unicode White_Space property,
     * which, unlike {@link Character#isWhitespace}, includes the no-break spaces U+00A0, U+2007 and U+202F.
     */
    public static boolean isBlank(String text) {
        return text.codePoints().allMatch(UnicodeText::isWhiteSpace);
    }

    /** Returns whether {@code codePoint} has the Unicode White_Space property. */
    public static boolean isWhiteSpace(int codePoint) {
        // White_Space is exactly the separators (Zs, Zl, Zp) plus the controls U+0009..U+000D and U+0085.
        return Character.isSpaceChar(codePoint)
                || (codePoint >= 0x09 && codePoint <= 0x0D)
                || codePoint == 0x85;
    }
}
