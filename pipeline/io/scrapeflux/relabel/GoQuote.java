package io.scrapeflux.relabel;

/**
 * Go's {@code %q} rendering of a string ({@code strconv.Quote}), which Prometheus uses in the errors it
 * reports about targets and rules; matching it keeps our messages identical to Prometheus's.
 */
public final class GoQuote {

    private GoQuote() {
    }

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case 0x0b -> sb.append("\\v");
                default -> appendOther(sb, c);
            }
        }
        return sb.append('"').toString();
    }

    private static void appendOther(StringBuilder sb, int c) {
        if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", c));
        } else if (Character.isSurrogate((char) c) && c <= 0xffff) {
            sb.append("\\ufffd"); // Go sees an invalid byte sequence here and prints the replacement char
        } else if (isPrintable(c)) {
            sb.appendCodePoint(c);
        } else if (c < 0x10000) {
            sb.append(String.format("\\u%04x", c));
        } else {
            sb.append(String.format("\\U%08x", c));
        }
    }

    /** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrintable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE,
                    Character.SURROGATE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
