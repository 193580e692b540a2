package org.artcp.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void escapesMarkupAndQuotes() {
        assertEquals("&lt;b&gt;a &amp; &quot;b&quot; &#39;c&#39;&lt;/b&gt;", Html.escape("<b>a & \"b\" 'c'</b>"));
        assertEquals("", Html.escape(null));
        assertEquals("—", Html.text(null));
        assertEquals("—", Html.text("  "));
        assertEquals("x &amp; y", Html.text("x & y"));
    }

    @Test
    void numbersHaveFourSignificantDigitsInPlainNotation() {
        assertEquals("12.01", Html.number(12.01));
        assertEquals("0.6354", Html.number(0.635371));
        assertEquals("30120", Html.number(30123.4));
        assertEquals("700000", Html.number(700_000.2));
        assertEquals("1", Html.number(1.0));
        assertEquals("0", Html.number(0.0));
        assertEquals("—", Html.number(null));
        assertEquals("—", Html.number(Double.NaN));
    }

    @Test
    void ratiosShowTheDeviation() {
        assertEquals("1.043 (+4.3%)", Html.ratio(1.0432));
        assertEquals("0.950 (-5.0%)", Html.ratio(0.95));
    }
}
