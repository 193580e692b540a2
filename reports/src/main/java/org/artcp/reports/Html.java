package org.artcp.reports;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Base64;

/** Escaping and number formatting for the HTML report. */
public final class Html {
    /** What a missing optional value shows as. */
    public static final String MISSING = "—";

    private Html() {}

    /** Escapes text for element content and double- or single-quoted attribute values; null gives "". */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Escaped text, or {@link #MISSING} for null or blank. */
    public static String text(String text) {
        return text == null || text.isBlank() ? MISSING : escape(text);
    }

    /**
     * A measurement with 4 significant digits in plain notation (12.01, 0.6354, 94.12, 30120);
     * {@link #MISSING} for null, NaN or infinity.
     */
    public static String number(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return MISSING;
        }
        if (value == 0.0) {
            return "0";
        }
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A ratio with 3 decimals and its deviation in percent, e.g. "1.043 (+4.3%)". */
    public static String ratio(double ratio) {
        return String.format(java.util.Locale.ROOT, "%.3f (%+.1f%%)", ratio, (ratio - 1.0) * 100.0);
    }

    public static String dataUri(String mediaType, byte[] content) {
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(content);
    }
}
