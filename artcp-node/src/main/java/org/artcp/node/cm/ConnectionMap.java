package org.artcp.node.cm;

/**
 * An open-addressing hash table from {@link ConnectionKey} to {@link Connection}: linear probing,
 * backward-shift deletion, no boxing and no allocation per lookup (a {@code HashMap<Long, ...>}
 * boxes its key on every packet). Load factor at most 1/2; the table doubles when it reaches it.
 */
final class ConnectionMap {
    private long[] keys;
    private Connection[] values;
    private int mask;
    private int size;

    ConnectionMap(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(16, initialCapacity * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new Connection[capacity];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    Connection get(long key) {
        for (int i = index(key);; i = (i + 1) & mask) {
            Connection c = values[i];
            if (c == null) {
                return null;
            }
            if (keys[i] == key) {
                return c;
            }
        }
    }

    /** Inserts a connection whose key is not in the table. */
    void put(Connection c) {
        if (2 * (size + 1) > keys.length) {
            resize();
        }
        int i = index(c.key);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = c.key;
        values[i] = c;
        size++;
    }

    /** Removes {@code c} if it is the table's entry for its key; whether it was. */
    boolean remove(Connection c) {
        for (int i = index(c.key);; i = (i + 1) & mask) {
            Connection at = values[i];
            if (at == null) {
                return false;
            }
            if (at == c) {
                deleteAt(i);
                size--;
                return true;
            }
        }
    }

    /** Knuth's backward shift: moves later entries of the probe run into the hole so lookups need no tombstones. */
    private void deleteAt(int hole) {
        int i = hole;
        for (;;) {
            i = (i + 1) & mask;
            Connection c = values[i];
            if (c == null) {
                break;
            }
            int home = index(keys[i]);
            // Move the entry back if its home is not cyclically within (hole, i].
            boolean stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!stays) {
                keys[hole] = keys[i];
                values[hole] = c;
                hole = i;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
    }

    private void resize() {
        long[] oldKeys = keys;
        Connection[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Connection[oldValues.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (Connection c : oldValues) {
            if (c != null) {
                put(c);
            }
        }
    }

    private int index(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
