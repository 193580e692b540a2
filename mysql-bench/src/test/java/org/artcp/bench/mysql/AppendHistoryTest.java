package org.artcp.bench.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The list-append checker over made-up records and lists. */
class AppendHistoryTest {
    /** Key 1: 11, 12, 13 acknowledged, 14 indeterminate. Key 2: 21, 22 acknowledged. */
    private static AppendHistory history() {
        AppendHistory h = new AppendHistory();
        for (long v : List.of(11L, 12L, 13L, 14L)) {
            h.attempted(1, v);
        }
        h.attempted(2, 21);
        h.attempted(2, 22);
        h.acknowledged(1, 11);
        h.acknowledged(2, 21);
        h.acknowledged(1, 12);
        h.acknowledged(1, 13);
        h.indeterminate(1, 14);
        h.acknowledged(2, 22);
        return h;
    }

    @Test
    void everyAcknowledgedValueOnceAndInOrderIsOk() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(11L, 12L, 13L), 2, List.of(21L, 22L)));
        assertTrue(c.ok(), c.toString());
        assertEquals(2, c.keys());
        assertEquals(5, c.acknowledged());
        assertEquals(1, c.indeterminate());
    }

    @Test
    void anIndeterminateValuePresentOnceIsOk() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(11L, 12L, 13L, 14L), 2, List.of(21L, 22L)));
        assertTrue(c.ok(), c.toString());
    }

    @Test
    void anIndeterminateValuePresentTwiceIsADuplicate() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(11L, 12L, 13L, 14L, 14L), 2, List.of(21L, 22L)));
        assertFalse(c.ok());
        assertEquals(1, c.duplicated().size(), c.toString());
        assertTrue(c.duplicated().getFirst().contains("14"), c.toString());
        assertEquals(List.of(), c.lost());
        assertEquals(List.of(), c.outOfOrder());
    }

    @Test
    void aMissingAcknowledgedValueIsLost() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(11L, 13L), 2, List.of(21L, 22L)));
        assertEquals(List.of("acknowledged value 12 of key 1 is missing"), c.lost());
        assertEquals(List.of(), c.outOfOrder(), "the values present are still in order");
        assertFalse(c.ok());
    }

    @Test
    void aKeyMissingFromTheReadBackLosesAllItsValues() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(11L, 12L, 13L)));
        assertEquals(2, c.lost().size(), c.toString());
        assertEquals(2, c.keys());
    }

    @Test
    void anAcknowledgedValueAppliedTwiceIsDuplicated() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(11L, 12L, 12L, 13L), 2, List.of(21L, 22L)));
        assertEquals(1, c.duplicated().size(), c.toString());
        assertEquals(List.of(), c.outOfOrder(), "first occurrences are in order");
        assertEquals(List.of(), c.lost());
    }

    @Test
    void aValueInTwoListsIsDuplicatedAndUnexpectedInTheWrongOne() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(11L, 12L, 13L), 2, List.of(21L, 22L, 12L)));
        assertEquals(1, c.duplicated().size(), c.toString());
        assertEquals(List.of("value 12 in key 2 was attempted on key 1"), c.unexpected());
    }

    @Test
    void reorderedAcknowledgedValuesAreOutOfOrder() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(11L, 13L, 12L), 2, List.of(21L, 22L)));
        assertEquals(1, c.outOfOrder().size(), c.toString());
        assertTrue(c.outOfOrder().getFirst().startsWith("key 1:"), c.toString());
        assertEquals(List.of(), c.lost());
        assertEquals(List.of(), c.duplicated());
        assertFalse(c.ok());
    }

    @Test
    void anIndeterminateValueMayStandAnywhereBetweenAcknowledgedOnes() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(14L, 11L, 12L, 13L), 2, List.of(21L, 22L)));
        assertTrue(c.ok(), c.toString());
    }

    @Test
    void aValueNeverAttemptedIsUnexpected() {
        AppendHistory.Check c = history().check(Map.of(1, List.of(11L, 12L, 13L, 99L), 2, List.of(21L, 22L)));
        assertEquals(List.of("value 99 in key 1 was never attempted"), c.unexpected());
        assertFalse(c.ok());
    }

    @Test
    void anAttemptedButUnacknowledgedValueThatIsNotIndeterminateMayBePresent() {
        // the client attempted it and has not heard back yet when the lists are read: present or not is fine
        AppendHistory h = history();
        h.attempted(2, 23);
        assertTrue(h.check(Map.of(1, List.of(11L, 12L, 13L), 2, List.of(21L, 22L, 23L))).ok());
    }

    @Test
    void valuesAreUniqueOverTheRun() {
        AppendHistory h = history();
        assertThrows(IllegalArgumentException.class, () -> h.attempted(3, 11));
        assertThrows(IllegalArgumentException.class, () -> h.acknowledged(2, 11), "11 was attempted on key 1");
        assertThrows(IllegalArgumentException.class, () -> h.indeterminate(1, 77), "77 was never attempted");
    }

    @Test
    void checksAddUpWithLabels() {
        AppendHistory.Check a = history().check(Map.of(1, List.of(11L, 13L), 2, List.of(21L, 22L)));
        AppendHistory.Check b = history().check(Map.of(1, List.of(11L, 12L, 13L), 2, List.of(21L)));
        AppendHistory.Check sum = a.plus("commits: ", b);
        assertEquals(4, sum.keys());
        assertEquals(10, sum.acknowledged());
        assertEquals(List.of("acknowledged value 12 of key 1 is missing", "commits: acknowledged value 22 of key 2 is missing"),
                sum.lost());
    }
}
