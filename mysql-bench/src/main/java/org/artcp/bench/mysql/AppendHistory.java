package org.artcp.bench.mysql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A list-append history in the spirit of Jepsen's: clients append unique values to per-key lists, record what they
 * attempted and what the server acknowledged, and after the run the lists are read back and checked against the
 * record ({@link #check}). Each key has one writer thread, which appends one value at a time, so the order in which
 * a key's appends were acknowledged is the order in which they were committed.
 *
 * <p>An append whose outcome the client could not learn (the statement failed, typically because the connection
 * broke) is <em>indeterminate</em>: it may be in the list or not, but at most once.
 *
 * <p>The recorder methods are thread-safe; {@link #check} is a pure function of the record and the lists it is
 * given.
 */
public final class AppendHistory {
    private final Map<Long, Integer> attempted = new HashMap<>();
    private final Map<Integer, List<Long>> acknowledged = new HashMap<>();
    private final Map<Long, Integer> indeterminate = new HashMap<>();
    private long acknowledgedCount;

    /**
     * The outcome of a check.
     *
     * @param keys          how many keys were checked: those read back and those the record appended to
     * @param acknowledged  appends the server acknowledged
     * @param indeterminate appends whose outcome the client does not know
     * @param lost          acknowledged values missing from their key's list
     * @param duplicated    values present more than once (in one list or in several)
     * @param outOfOrder    keys whose acknowledged values are present in another order than acknowledged
     * @param unexpected    values never attempted, or present in another key's list than the one attempted
     */
    public record Check(int keys, long acknowledged, long indeterminate, List<String> lost, List<String> duplicated,
                        List<String> outOfOrder, List<String> unexpected) {
        public Check {
            lost = List.copyOf(lost);
            duplicated = List.copyOf(duplicated);
            outOfOrder = List.copyOf(outOfOrder);
            unexpected = List.copyOf(unexpected);
        }

        /** No anomaly of any kind. */
        public boolean ok() {
            return lost.isEmpty() && duplicated.isEmpty() && outOfOrder.isEmpty() && unexpected.isEmpty();
        }

        /** Both checks' counts and anomalies together; each anomaly of {@code other} prefixed with {@code label}. */
        public Check plus(String label, Check other) {
            return new Check(keys + other.keys, acknowledged + other.acknowledged, indeterminate + other.indeterminate,
                    concat(lost, label, other.lost), concat(duplicated, label, other.duplicated),
                    concat(outOfOrder, label, other.outOfOrder), concat(unexpected, label, other.unexpected));
        }

        /** These anomalies and more of the kinds given, counts unchanged. */
        public Check withAnomalies(List<String> moreLost, List<String> moreDuplicated, List<String> moreUnexpected) {
            return new Check(keys, acknowledged, indeterminate, concat(lost, "", moreLost),
                    concat(duplicated, "", moreDuplicated), outOfOrder, concat(unexpected, "", moreUnexpected));
        }

        private static List<String> concat(List<String> a, String label, List<String> b) {
            List<String> all = new ArrayList<>(a);
            for (String s : b) {
                all.add(label + s);
            }
            return all;
        }
    }

    /** The client is about to append {@code value} to {@code key}'s list. Each value is attempted once. */
    public synchronized void attempted(int key, long value) {
        Integer before = attempted.putIfAbsent(value, key);
        if (before != null) {
            throw new IllegalArgumentException("value " + value + " was attempted before (key " + before
                    + "): values must be unique over the whole run");
        }
    }

    /** The server acknowledged the append of {@code value} to {@code key}. */
    public synchronized void acknowledged(int key, long value) {
        requireAttempted(key, value);
        acknowledged.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        acknowledgedCount++;
    }

    /** The client does not know whether the append of {@code value} to {@code key} took effect. */
    public synchronized void indeterminate(int key, long value) {
        requireAttempted(key, value);
        indeterminate.put(value, key);
    }

    private void requireAttempted(int key, long value) {
        Integer k = attempted.get(value);
        if (k == null || k != key) {
            throw new IllegalArgumentException("value " + value + " was not attempted on key " + key);
        }
    }

    /** Appends the server acknowledged so far. */
    public synchronized long acknowledgedCount() {
        return acknowledgedCount;
    }

    /** Appends whose outcome is unknown so far. */
    public synchronized long indeterminateCount() {
        return indeterminate.size();
    }

    /**
     * Checks the lists as read back after the run against the record.
     *
     * @param finalLists every key's list, values in list order; a key the record appended to but absent here is an
     *                   empty list
     */
    public synchronized Check check(Map<Integer, List<Long>> finalLists) {
        Set<Integer> keys = new TreeSet<>(finalLists.keySet());
        keys.addAll(acknowledged.keySet());
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        List<String> outOfOrder = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();

        // where each value is, over all lists: a value is unique over the run, so twice anywhere is a duplicate
        Map<Long, List<Integer>> seenIn = new LinkedHashMap<>();
        for (int key : keys) {
            for (long v : finalLists.getOrDefault(key, List.of())) {
                seenIn.computeIfAbsent(v, x -> new ArrayList<>()).add(key);
            }
        }
        for (Map.Entry<Long, List<Integer>> e : seenIn.entrySet()) {
            long v = e.getKey();
            if (e.getValue().size() > 1) {
                duplicated.add("value " + v + " present " + e.getValue().size() + " times (keys " + e.getValue() + ")");
            }
            Integer attemptedOn = attempted.get(v);
            if (attemptedOn == null) {
                unexpected.add("value " + v + " in key " + e.getValue().getFirst() + " was never attempted");
            } else {
                for (int k : new TreeSet<>(e.getValue())) {
                    if (k != attemptedOn) {
                        unexpected.add("value " + v + " in key " + k + " was attempted on key " + attemptedOn);
                    }
                }
            }
        }

        for (int key : keys) {
            List<Long> list = finalLists.getOrDefault(key, List.of());
            Set<Long> present = new HashSet<>(list);
            List<Long> acked = acknowledged.getOrDefault(key, List.of());
            for (long v : acked) {
                if (!present.contains(v)) {
                    lost.add("acknowledged value " + v + " of key " + key + " is missing");
                }
            }
            // the acknowledged values, in list order (first occurrence) and in acknowledgement order, both
            // restricted to those present: they must be the same sequence
            Set<Long> ackedSet = new HashSet<>(acked);
            List<Long> inList = new ArrayList<>();
            Set<Long> taken = new HashSet<>();
            for (long v : list) {
                if (ackedSet.contains(v) && taken.add(v)) {
                    inList.add(v);
                }
            }
            List<Long> inAckOrder = acked.stream().filter(present::contains).toList();
            if (!inList.equals(inAckOrder)) {
                int i = 0;
                while (inList.get(i).equals(inAckOrder.get(i))) {
                    i++;
                }
                outOfOrder.add("key " + key + ": acknowledged value " + inAckOrder.get(i) + " was acknowledged "
                        + ordinal(i) + " of those present but value " + inList.get(i) + " is there in its place");
            }
        }
        return new Check(keys.size(), acknowledgedCount, indeterminate.size(), lost, duplicated, outOfOrder, unexpected);
    }

    private static String ordinal(int index) {
        return "#" + (index + 1);
    }

    /** The record, as key → acknowledged values in acknowledgement order (a copy). */
    public synchronized Map<Integer, List<Long>> acknowledgedByKey() {
        Map<Integer, List<Long>> copy = new TreeMap<>();
        acknowledged.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }
}
