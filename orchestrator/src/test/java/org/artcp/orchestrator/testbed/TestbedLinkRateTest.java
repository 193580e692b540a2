package org.artcp.orchestrator.testbed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RATE parsing as tc does it, and the tbf parameters derived from a rate. */
class TestbedLinkRateTest {
    @ParameterizedTest
    @CsvSource({
        "100mbit, 100000000, 100mbit",
        "100Mbit, 100000000, 100mbit",
        "1gbit, 1000000000, 1gbit",
        "1GBIT, 1000000000, 1gbit",
        "512kbit, 512000, 512kbit",
        "1.5mbit, 1500000, 1500kbit",
        "2500000bit, 2500000, 2500kbit",
        "1mibit, 1048576, 1048576bit",
        "1kibit, 1024, 1024bit",
        "12500kbps, 100000000, 100mbit",
        "100mbps, 800000000, 800mbit",
        "1MBps, 8000000, 8mbit",
        "1tbit, 1000000000000, 1tbit"})
    void parsesLikeTc(String text, long bits, String canonical) {
        if (bits < LinkRate.MIN_BITS_PER_SECOND) {
            assertThrows(IllegalArgumentException.class, () -> LinkRate.parse(text));
            return;
        }
        LinkRate r = LinkRate.parse(text);
        assertEquals(bits, r.bitsPerSecond());
        assertEquals(canonical, r.toString());
        assertEquals(bits + "bit", r.tcRate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fast", "mbit", "100", "100 mbit x", "100mbits", "1.2.3mbit", "-5mbit", "0mbit", "5bit", "2tbit", "."})
    void refusesWhatTcWouldNotTakeOrWhatIsAmbiguous(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinkRate.parse(text));
        assertTrue(e.getMessage().contains("link rate"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aBareNumberIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinkRate.parse("100"));
        assertTrue(e.getMessage().contains("bytes per second"), e.getMessage());
    }

    @Test
    void burstIsAHundredMicrosecondsOfTrafficButAtLeastTwoFrames() {
        assertEquals(2 * 1514, LinkRate.parse("100mbit").tbfBurstBytes());
        assertEquals(12_500, LinkRate.parse("1gbit").tbfBurstBytes());
        assertEquals(125_000, LinkRate.parse("10gbit").tbfBurstBytes());
        assertEquals(2 * 1514, LinkRate.parse("10mbit").tbfBurstBytes());
        assertEquals(List.of("tbf", "rate", "100000000bit", "burst", "3028", "latency", "50ms"),
                LinkRate.parse("100mbit").tbfArguments());
    }
}
